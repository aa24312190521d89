import { z } from 'zod';
import { booleanFromEnv, databaseUrl, httpEnvShape, listFromEnv, requireInProduction } from '@merchant-platform/common/config';
import { brandEnvShape } from './brand.js';

/** What the console reads in every mode: branding, the session keys, the features shown. */
export const consoleEnvShape = {
  ...brandEnvShape,
  /** Keys that sign the console's session cookie (the first signs, all verify: rotation). */
  SESSION_KEYS: listFromEnv.optional(),
  /** Shows the invitation pages once the invitations API is deployed. */
  CONSOLE_INVITATIONS: booleanFromEnv.default(true),
};

export const consoleConfigSchema = z
  .object({
    ...httpEnvShape,
    ...consoleEnvShape,
    DATABASE_URL: databaseUrl.optional(),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    /** Where the console reaches the auth API (`/auth/...`): its cluster address, or the Ingress. */
    AUTH_API_URL: z.url(),
    /** Where the console reaches the merchants API (`/merchants/...`, `/users/...`). */
    MERCHANTS_API_URL: z.url(),
    /**
     * Auth has Google sign-in configured: the sign-in page shows the button. The browser then goes
     * to `/auth/google/login` on the console's own origin (the Ingress routes `/auth` to auth), and
     * auth's AUTH_REDIRECT_ALLOWLIST must allow `<console origin>/sign-in/google/complete`.
     */
    CONSOLE_GOOGLE_SIGN_IN: booleanFromEnv.default(false),
  })
  .superRefine(requireInProduction(['DATABASE_URL', 'SESSION_KEYS']));

export type ConsoleConfig = z.output<typeof consoleConfigSchema>;
