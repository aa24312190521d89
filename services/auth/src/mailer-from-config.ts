import type { Logger } from '@merchant-platform/common/logger';
import { HttpEmailClient } from '@merchant-platform/common/email-client';
import { serviceCredentialFromEnv } from '@merchant-platform/common/service-auth/service-credential';
import type { AuthConfig } from './config.js';
import { LogMailer } from './data/log-mailer.js';
import type { Mailer } from './domain/mailer.js';

/** The email service when EMAIL_SERVICE_URL is set (always, in production); else the console. */
export function mailerFromConfig(config: AuthConfig, logger: Logger): Mailer {
  if (!config.EMAIL_SERVICE_URL) return new LogMailer(logger);
  return new HttpEmailClient({ baseUrl: config.EMAIL_SERVICE_URL, credential: serviceCredentialFromEnv(config) });
}
