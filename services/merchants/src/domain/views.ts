import { z } from 'zod';
import { AUTH_METHODS } from '@merchant-platform/common/tokens/access-token';
import { ROLES, SCOPES } from './roles.js';

// The responses the presenters build, as zod schemas: http/ registers them in the OpenAPI
// document and the presenters' return types are inferred from them, so the two cannot drift.

const AddressView = z.object({
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  region: z.string().nullable(),
  postal_code: z.string().nullable(),
  country: z.string(),
});

export const MerchantView = z.object({
  id: z.string(),
  user_id: z.string(),
  business_name: z.string(),
  business_type: z.string().nullable(),
  phone: z.string().nullable(),
  website: z.string().nullable(),
  address: AddressView,
  currency: z.string(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
export type MerchantView = z.output<typeof MerchantView>;

export const PublicMerchantView = z.object({
  id: z.string(),
  business_name: z.string(),
  business_type: z.string().nullable(),
  website: z.string().nullable(),
  country: z.string(),
});
export type PublicMerchantView = z.output<typeof PublicMerchantView>;

export const TokenUserView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  email_verified: z.boolean(),
  roles: z.array(z.string()),
  auth_method: z.enum(AUTH_METHODS),
});
export type TokenUserView = z.output<typeof TokenUserView>;

export const MembershipView = z.object({
  merchant_id: z.string(),
  user_id: z.string(),
  /** Null only for an owner carried over from v1 who has not called a team route since. */
  email: z.string().nullable(),
  name: z.string().nullable(),
  role: z.enum(ROLES),
  joined_at: z.iso.datetime(),
});
export type MembershipView = z.output<typeof MembershipView>;

export const MerchantSettingsView = z.object({ require_mfa: z.boolean() });

/** A merchant API key as listed: never its secret or hash. `revoked_at` may lie ahead for a rolled key in its grace. */
export const ApiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(SCOPES)),
  created_at: z.iso.datetime(),
  expires_at: z.iso.datetime().nullable(),
  last_used_at: z.iso.datetime().nullable(),
  revoked_at: z.iso.datetime().nullable(),
});
export type ApiKeyView = z.output<typeof ApiKeyView>;

/** An invitation as its merchant's owners and admins see it: never its token or hash, nor who invited. */
export const InvitationView = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
  expires_at: z.iso.datetime(),
  created_at: z.iso.datetime(),
});
export type InvitationView = z.output<typeof InvitationView>;
