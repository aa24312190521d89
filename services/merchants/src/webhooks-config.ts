import { z } from 'zod';
import { booleanFromEnv } from '@merchant-platform/common/config';

/** Any long random string (the chart generates 48 characters); the AES key is derived from it. */
const secretKey = z.string().trim().min(32, 'must be at least 32 characters (openssl rand -base64 32)');

/** The webhook dispatcher's variables, read by merchants alone and by all-in-one. */
export const webhookEnvShape = {
  /** Seals the merchants' webhook signing secrets at rest (AES-256-GCM, key derived with HKDF); required in production. */
  WEBHOOK_SECRET_KEY: secretKey.optional(),
  /** The first retry comes at least this long after the failure (jittered up to twice that); each next wait doubles. */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  /** The longest one delivery POST may take, answer included. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOK_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  WEBHOOK_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  /** Lets webhooks reach loopback and private addresses: for tests and local use only, refused in production. */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: booleanFromEnv.default(false),
};

type WebhookEnv = { NODE_ENV: string } & z.output<z.ZodObject<typeof webhookEnvShape>>;

/** Production never runs on a generated key, nor lets webhooks into the cluster's own network. */
export function webhookSettingsAreSafe(config: WebhookEnv, ctx: z.RefinementCtx): void {
  if (config.NODE_ENV !== 'production') return;
  if (!config.WEBHOOK_SECRET_KEY) {
    ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET_KEY'], message: 'is required when NODE_ENV=production' });
  }
  if (config.WEBHOOK_ALLOW_PRIVATE_TARGETS) {
    ctx.addIssue({ code: 'custom', path: ['WEBHOOK_ALLOW_PRIVATE_TARGETS'], message: 'must be false when NODE_ENV=production' });
  }
}

export type WebhookSettings = Omit<WebhookEnv, 'NODE_ENV' | 'WEBHOOK_SECRET_KEY'> & { WEBHOOK_SECRET_KEY: string };
