import { z } from 'zod';
import { email, httpsUrl, optionalText, text } from '@merchant-platform/common/fields';
import { ROLES } from '../domain/user.js';

/** Passwords are checked against the policy by the domain (422 `weak_password`), not here. */
const password = z.string().max(1024);

export const RegisterBody = z.object({
  email,
  password,
  confirm_password: password,
  first_name: text(100),
  middle_name: optionalText(100),
  last_name: text(100),
});

/** The OAuth2 token endpoint: a password grant (form `username` or JSON `email`) or a refresh grant. */
export const TokenBody = z.object({
  grant_type: z.enum(['password', 'refresh_token']).optional(),
  username: z.string().max(1024).optional(),
  email: z.string().max(1024).optional(),
  password: password.optional(),
  refresh_token: z.string().max(1024).optional(),
});

export const PasswordGrant = z.object({ email, password: password.min(1) });

export const RefreshBody = z.object({ refresh_token: z.string().min(1).max(1024) });

/** Absent means "leave as is"; null clears the optional fields. */
export const ProfilePatchBody = z.object({
  first_name: text(100).optional(),
  middle_name: z.union([text(100), z.null()]).optional(),
  last_name: text(100).optional(),
  profile_picture: z.union([httpsUrl, z.null()]).optional(),
});

export const PasswordChangeBody = z.object({ current_password: password, password, confirm_password: password });

export const CodeBody = z.object({ code: z.string().trim().min(1).max(32) });

export const ForgotBody = z.object({ email });

export const ResetBody = z.object({ email, code: z.string().trim().min(1).max(32), password, confirm_password: password });

export const UserIdParams = z.object({ id: z.string().min(1).max(64) });

export const AdminPatchBody = z.object({
  disabled: z.boolean().optional(),
  roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length).optional(),
});

export const Accepted = z.object({ message: z.string() });

export const Jwks = z.object({
  keys: z.array(
    z.object({ kty: z.literal('RSA'), n: z.string(), e: z.string(), kid: z.string(), alg: z.literal('RS256'), use: z.literal('sig') }),
  ),
});

/** `?after=` of the revocation feed: the `next_cursor` it returned last time (an id). */
export const RevocationFeedQuery = z.object({
  after: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a cursor the feed returned')
    .optional(),
});
