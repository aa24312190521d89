import { z } from 'zod';
import { webhookEnvShape, webhookSettingsAreSafe } from './webhooks-config.js';
import { databaseUrl, httpEnvShape, jwtVerifyEnvShape, requireInProduction, requireWhen } from '@merchant-platform/common/config';
import { checkServiceAuthConfig, serviceAuthEnvShape } from '@merchant-platform/common/service-auth/config';

/** What invitations read; all-in-one mode reads the same. */
export const invitationEnvShape = {
  /** The console's public base URL: invitation mails link to `<it>/invitations/accept?token=…`. */
  CONSOLE_URL: z.url().optional(),
  /** Invitations one merchant may send per hour, counted across replicas (MySQL). */
  RATE_LIMIT_INVITATIONS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
};

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
    /** The email service's address, where invitation mail goes (`POST /emails`); without it inviting answers 503. */
    EMAIL_SERVICE_URL: z.url().optional(),
    /** A projected ServiceAccount token for the audience `email` (Kubernetes mode); else SERVICE_TOKEN is presented to email too. */
    EMAIL_SERVICE_TOKEN_FILE: z.string().optional(),
    ...invitationEnvShape,
    REVOCATION_POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
    ...webhookEnvShape,
  })
  .superRefine(requireInProduction(['DATABASE_URL', 'AUTH_INTERNAL_URL', 'EMAIL_SERVICE_URL', 'CONSOLE_URL']))
  .superRefine(webhookSettingsAreSafe)
  .superRefine(checkServiceAuthConfig)
  .superRefine(
    requireWhen({ holds: (config) => config.AUTH_INTERNAL_URL !== undefined, described: 'AUTH_INTERNAL_URL is set' }, [
      ['SERVICE_TOKEN', 'SERVICE_TOKEN_FILE'],
    ]),
  )
  .superRefine(
    requireWhen({ holds: (config) => config.EMAIL_SERVICE_URL !== undefined, described: 'EMAIL_SERVICE_URL is set' }, [
      ['SERVICE_TOKEN', 'EMAIL_SERVICE_TOKEN_FILE'],
    ]),
  );
