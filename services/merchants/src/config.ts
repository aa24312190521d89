import { z } from 'zod';
import { databaseUrl, httpEnvShape, jwtVerifyEnvShape, loadConfig, requireInProduction, type Env } from '@merchant-platform/common/config';

export const merchantsConfigSchema = z
  .object({
    ...httpEnvShape,
    ...jwtVerifyEnvShape,
    DATABASE_URL: databaseUrl.optional(),
    // Standalone, merchants must be told where the auth service publishes its keys.
    JWKS_URL: z.url(),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  })
  .superRefine(requireInProduction(['DATABASE_URL']));

export type MerchantsConfig = z.output<typeof merchantsConfigSchema>;

export const loadMerchantsConfig = (env?: Env) => loadConfig(merchantsConfigSchema, env);
