import { join, resolve } from 'node:path';
import { z } from 'zod';
import { loadConfig, type Env } from '@merchant-platform/common/config';
import { authEnvShape, googleSignInIsComplete } from '@merchant-platform/auth/config';
import { webAuthnIsValid, withWebAuthnDefaults } from '@merchant-platform/auth/webauthn-config';
import { checkEmailConfig, emailEnvShape } from '@merchant-platform/email/config';

/**
 * All-in-one mode reads every variable the services read; what differs is the defaults:
 * an SQLite file and generated secrets under DATA_DIR, e-mail to the console.
 */
export const allInOneConfigSchema = z
  .object({
    ...emailEnvShape,
    ...authEnvShape,
    DATA_DIR: z.string().default('./data'),
  })
  .superRefine(checkEmailConfig)
  .superRefine(googleSignInIsComplete)
  .superRefine(webAuthnIsValid)
  .superRefine((config, ctx) => {
    // Outside production missing secrets are generated under DATA_DIR; in production, never.
    if (config.NODE_ENV !== 'production') return;
    const missing: [string, unknown][] = [
      ['JWT_PRIVATE_KEY', config.JWT_PRIVATE_KEY ?? config.JWT_PRIVATE_KEY_FILE],
      ['SESSION_KEYS', config.SESSION_KEYS],
      ['SERVICE_TOKEN', config.SERVICE_TOKEN],
      ['PASSWORD_PEPPER', config.PASSWORD_PEPPER],
    ];
    for (const [name, value] of missing) {
      if (value === undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'is required when NODE_ENV=production' });
    }
  })
  .transform((config) => {
    const dataDir = resolve(config.DATA_DIR);
    return { ...withWebAuthnDefaults(config), DATA_DIR: dataDir, DATABASE_URL: config.DATABASE_URL ?? `sqlite:${join(dataDir, 'platform.sqlite')}` };
  });

export type AllInOneConfig = z.output<typeof allInOneConfigSchema>;

export const loadAllInOneConfig = (env?: Env) => loadConfig(allInOneConfigSchema, env);
