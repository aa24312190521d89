import { z } from 'zod';
import { databaseUrl, httpEnvShape, loadConfig, requireInProduction, type Env } from '@merchant-platform/common/config';
import { checkServiceAuthConfig, serviceAuthEnvShape } from '@merchant-platform/common/service-auth/config';
import { NO_CONTROL_CHARACTERS } from '@merchant-platform/common/text';

/** Every variable the email service reads; all-in-one mode builds its schema from this too. */
export const emailEnvShape = {
  ...httpEnvShape,
  DATABASE_URL: databaseUrl.optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),

  ...serviceAuthEnvShape('email'),

  EMAIL_TRANSPORT: z.enum(['log', 'ses']).default('log'),
  EMAIL_FROM: z
    .string()
    .min(3)
    .max(320)
    .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
    .refine((v) => v.includes('@'), 'must be an e-mail address, optionally as "Name <address>"')
    .default('no-reply@localhost'),
  AWS_REGION: z.string().min(1).optional(),
  SES_ENDPOINT: z.url().optional(),
  SES_CONFIGURATION_SET: z.string().min(1).max(64).optional(),
  /** One SES call may take this long before it counts as a network error (retried). */
  SES_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),

  /** Attempts per message, the first included, before a retryable failure becomes final. */
  EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  EMAIL_BATCH_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** How often an idle dispatcher looks for due rows (a local enqueue wakes it at once). */
  EMAIL_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  /** Per replica: divide the SES account's maximum send rate by the replica count. */
  EMAIL_SEND_RATE_PER_SECOND: z.coerce.number().positive().max(10_000).default(10),
  /** Back-off before retry n is a random time in [d/2, d], d = min(max, base * 2^(n-1)). */
  EMAIL_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(2_000),
  EMAIL_RETRY_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(300_000),
  /** How long a claimed row stays reserved for one dispatcher; a crashed one's rows come back after it. */
  EMAIL_LEASE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
};

type EmailEnv = z.output<z.ZodObject<typeof emailEnvShape>>;

/** Rules across variables; all-in-one mode applies them too. */
export function checkEmailConfig(config: EmailEnv, ctx: z.RefinementCtx): void {
  checkServiceAuthConfig(config, ctx);
  if (config.EMAIL_TRANSPORT === 'ses' && config.AWS_REGION === undefined) {
    ctx.addIssue({ code: 'custom', path: ['AWS_REGION'], message: 'is required when EMAIL_TRANSPORT=ses' });
  }
  if (config.EMAIL_LEASE_SECONDS * 1000 <= 2 * config.SES_TIMEOUT_MS) {
    ctx.addIssue({
      code: 'custom',
      path: ['EMAIL_LEASE_SECONDS'],
      message: 'must be more than twice SES_TIMEOUT_MS, or a slow send could outlive its lease and be sent twice',
    });
  }
  if (config.EMAIL_RETRY_MAX_MS < config.EMAIL_RETRY_BASE_MS) {
    ctx.addIssue({ code: 'custom', path: ['EMAIL_RETRY_MAX_MS'], message: 'must be at least EMAIL_RETRY_BASE_MS' });
  }
}

export const emailConfigSchema = z
  .object(emailEnvShape)
  .superRefine(requireInProduction(['DATABASE_URL']))
  .superRefine(checkEmailConfig);

export type EmailConfig = z.output<typeof emailConfigSchema>;

export const loadEmailConfig = (env?: Env) => loadConfig(emailConfigSchema, env);
