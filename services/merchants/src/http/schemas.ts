import { z } from 'zod';
import { email, httpsUrl, optionalText, text } from '@merchant-platform/common/fields';
import { ROLES, SCOPES } from '../domain/roles.js';

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
  phone: z
    .union([phone, z.null()])
    .optional()
    .transform((v) => v ?? null),
  website: z
    .union([httpsUrl, z.null()])
    .optional()
    .transform((v) => v ?? null),
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

export const MemberParams = z.object({ id: z.string().min(1).max(64), user_id: z.string().min(1).max(64) });

export const MemberRoleBody = z.object({ role: z.enum(ROLES) });

export const MerchantSettingsBody = z.object({ require_mfa: z.boolean() });

export const ApiKeyParams = z.object({ id: z.string().min(1).max(64), key_id: z.string().min(1).max(64) });

export const NewApiKeyBody = z.object({
  name: text(100),
  scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
  expires_at: z.iso
    .datetime({ offset: true })
    .transform((value) => new Date(value))
    .refine((date) => date.getTime() > Date.now(), { message: 'must be in the future' })
    .optional(),
});

export const RollApiKeyBody = z.object({ grace_seconds: z.number().int().min(0).max(86_400).optional().default(0) });

export const InvitationParams = z.object({ id: z.string().min(1).max(64), invitation_id: z.string().min(1).max(64) });

export const NewInvitationBody = z.object({ email, role: z.enum(ROLES) });

/** Any string up to a generous length: a wrong token is simply not found (404), never a 422 that tells its shape. */
export const AcceptInvitationBody = z.object({ token: z.string().min(1).max(200) });
