import { z } from 'zod';
import { AUTH_METHODS } from '@merchant-platform/common/tokens/access-token';
import { ROLES } from './user.js';

// The responses the domain builds, as zod schemas: http/ registers them in the OpenAPI document
// and the presenters' return types are inferred from them, so the two cannot drift.

/** The contract's user object; hashes and flags have no field here, so they cannot leak. */
export const UserView = z.object({
  id: z.string(),
  email: z.string(),
  first_name: z.string(),
  middle_name: z.string().nullable(),
  last_name: z.string(),
  profile_picture: z.string().nullable(),
  email_verified: z.boolean(),
  roles: z.array(z.enum(ROLES)),
  auth_methods: z.array(z.enum(AUTH_METHODS)),
  created_at: z.iso.datetime(),
});
export type UserView = z.output<typeof UserView>;

export const TokenPairView = z.object({
  access_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number().int().describe('seconds'),
  refresh_token: z.string(),
  refresh_expires_in: z.number().int().describe('seconds'),
});
export type TokenPairView = z.output<typeof TokenPairView>;

/** The contract's factor object (TOTP factors share it). */
export const FactorView = z.object({
  id: z.string(),
  type: z.enum(['totp', 'passkey']),
  name: z.string(),
  created_at: z.iso.datetime(),
  last_used_at: z.iso.datetime().nullable(),
});
export type FactorView = z.output<typeof FactorView>;
