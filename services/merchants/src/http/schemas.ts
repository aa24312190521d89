import { z } from 'zod';
import { AUTH_METHODS } from '@merchant-platform/common/tokens/access-token';
import { httpsUrl, optionalText, text } from '@merchant-platform/common/fields';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const currencies = new Set(Intl.supportedValuesOf('currency'));

const country = z
  .string()
  .trim()
  .toUpperCase()
  .refine((code) => /^[A-Z]{2}$/.test(code) && regionNames.of(code) !== undefined && code !== 'ZZ', {
    message: 'must be an ISO 3166-1 alpha-2 country code',
  });

const currency = z
  .string()
  .trim()
  .toUpperCase()
  .refine((code) => currencies.has(code), { message: 'must be an ISO 4217 currency code' });

const phone = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 phone number such as +14155550123');

export const MerchantProfileBody = z.object({
  business_name: text(200),
  business_type: optionalText(100),
  phone: z.union([phone, z.null()]).optional().transform((v) => v ?? null),
  website: z.union([httpsUrl, z.null()]).optional().transform((v) => v ?? null),
  address: z.object({
    line1: text(200),
    line2: optionalText(200),
    city: text(100),
    region: optionalText(100),
    postal_code: optionalText(20),
    country,
  }),
  currency: currency.optional().transform((v) => v ?? 'USD'),
});

export const MerchantIdParams = z.object({ id: z.string().min(1).max(64) });

const Address = z.object({
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  region: z.string().nullable(),
  postal_code: z.string().nullable(),
  country: z.string(),
});

export const Merchant = z.object({
    id: z.string(),
    user_id: z.string(),
    business_name: z.string(),
    business_type: z.string().nullable(),
    phone: z.string().nullable(),
    website: z.string().nullable(),
    address: Address,
    currency: z.string(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
});

export const PublicMerchant = z.object({
    id: z.string(),
    business_name: z.string(),
    business_type: z.string().nullable(),
    website: z.string().nullable(),
    country: z.string(),
});

export const TokenUser = z.object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    email_verified: z.boolean(),
    roles: z.array(z.string()),
    auth_method: z.enum(AUTH_METHODS),
});
