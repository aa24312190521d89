import { z } from 'zod';
import { webhookEnvShape, webhookSettingsAreSafe } from './webhooks-config.js';
import { databaseUrl, httpEnvShape, jwtVerifyEnvShape, requireInProduction, requireWhen } from '@merchant-platform/common/config';

export const merchantsConfigSchema = z
  .object({
    ...httpEnvShape,
    ...jwtVerifyEnvShape,
    DATABASE_URL: databaseUrl.optional(),
    // Standalone, merchants must be told where the auth service publishes its keys.
    JWKS_URL: z.url(),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    /** auth's cluster-internal address, where its revocation feed is (`/internal/revocations`). */
    AUTH_INTERNAL_URL: z.url().optional(),
    /** The credential merchants presents to auth: the shared secret, or a projected token file (audience `auth`). */
    SERVICE_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    SERVICE_TOKEN_FILE: z.string().optional(),
    /** *Recent* team routes accept a sign-in at most this old; keep it equal to auth's. */
    STEP_UP_MAX_AGE_SECONDS: z.coerce.number().int().min(30).max(86_400).default(600),
    /** Requests one merchant API key may make per minute, counted across replicas (MySQL). */
    RATE_LIMIT_API_KEY_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
    REVOCATION_POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
    ...webhookEnvShape,
  })
  .superRefine(requireInProduction(['DATABASE_URL', 'AUTH_INTERNAL_URL']))
  .superRefine(webhookSettingsAreSafe)
  .superRefine(
    requireWhen({ holds: (config) => config.AUTH_INTERNAL_URL !== undefined, described: 'AUTH_INTERNAL_URL is set' }, [
      ['SERVICE_TOKEN', 'SERVICE_TOKEN_FILE'],
    ]),
  );
