import { join, resolve } from 'node:path';
import { z } from 'zod';
import { requireInProduction } from '@merchant-platform/common/config';
import { authEnvShape, googleSignInIsComplete } from '@merchant-platform/auth/config';
import { webAuthnIsValid, withWebAuthnDefaults } from '@merchant-platform/auth/webauthn-config';
import { checkEmailConfig, emailEnvShape } from '@merchant-platform/email/config';
import { invitationEnvShape } from '@merchant-platform/merchants/config';
import { webhookEnvShape, webhookSettingsAreSafe } from '@merchant-platform/merchants/webhooks-config';
import { consoleEnvShape } from '@merchant-platform/console/config';

/**
 * All-in-one mode reads every variable the services read; what differs is the defaults:
 * an SQLite file and generated secrets under DATA_DIR, e-mail to the console.
 */
export const allInOneConfigSchema = z
  .object({
    ...emailEnvShape,
    ...authEnvShape,
    ...invitationEnvShape,
    ...webhookEnvShape,
    ...consoleEnvShape,
    DATA_DIR: z.string().default('./data'),
  })
  .superRefine(checkEmailConfig)
  .superRefine(googleSignInIsComplete)
  .superRefine(webAuthnIsValid)
  // Outside production missing secrets are generated under DATA_DIR (local-secrets.ts); in production, never.
  .superRefine(requireInProduction([['JWT_PRIVATE_KEY', 'JWT_PRIVATE_KEY_FILE'], 'SESSION_KEYS', 'SERVICE_TOKEN', 'PASSWORD_PEPPER']))
  .superRefine(webhookSettingsAreSafe)
  .transform((config) => {
    const dataDir = resolve(config.DATA_DIR);
    return {
      ...withWebAuthnDefaults(config),
      DATA_DIR: dataDir,
      DATABASE_URL: config.DATABASE_URL ?? `sqlite:${join(dataDir, 'platform.sqlite')}`,
    };
  });
