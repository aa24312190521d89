import { z } from 'zod';
import { databaseUrl, httpEnvShape, jwtVerifyEnvShape, requireInProduction, requireWhen } from '@merchant-platform/common/config';
import { checkServiceAuthConfig, serviceAuthEnvShape } from '@merchant-platform/common/service-auth/config';

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
    /**
     * Who may call merchants' internal routes (auth, for data export and account deletion). In token
     * mode SERVICE_TOKEN is also what merchants presents to auth, as SERVICE_TOKEN_FILE is otherwise.
     */
    ...serviceAuthEnvShape('merchants'),
    /** A projected ServiceAccount token (audience `auth`) merchants presents to auth instead of SERVICE_TOKEN. */
    SERVICE_TOKEN_FILE: z.string().optional(),
    /** *Recent* team routes accept a sign-in at most this old; keep it equal to auth's. */
    STEP_UP_MAX_AGE_SECONDS: z.coerce.number().int().min(30).max(86_400).default(600),
    /** Requests one merchant API key may make per minute, counted across replicas (MySQL). */
    RATE_LIMIT_API_KEY_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
    REVOCATION_POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  })
  .superRefine(requireInProduction(['DATABASE_URL', 'AUTH_INTERNAL_URL']))
  .superRefine(checkServiceAuthConfig)
  .superRefine(
    requireWhen({ holds: (config) => config.AUTH_INTERNAL_URL !== undefined, described: 'AUTH_INTERNAL_URL is set' }, [
      ['SERVICE_TOKEN', 'SERVICE_TOKEN_FILE'],
    ]),
  );
