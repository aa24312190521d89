import { HttpEmailClient } from '@merchant-platform/common/email-client';
import { serviceCredentialFromEnv } from '@merchant-platform/common/service-auth/service-credential';
import type { z } from 'zod';
import type { merchantsConfigSchema } from './config.js';
import type { InvitationMailer } from './domain/invitation-mail.js';

/**
 * The email service when EMAIL_SERVICE_URL is set (always, in production); else none, and
 * inviting answers 503. Kubernetes mode mounts a token minted for the audience `email`, apart
 * from the one for auth, since each service accepts only tokens meant for it.
 */
export function mailerFromConfig(config: z.output<typeof merchantsConfigSchema>): InvitationMailer | undefined {
  if (!config.EMAIL_SERVICE_URL) return undefined;
  const credential = serviceCredentialFromEnv({ SERVICE_TOKEN: config.SERVICE_TOKEN, SERVICE_TOKEN_FILE: config.EMAIL_SERVICE_TOKEN_FILE });
  return new HttpEmailClient({ baseUrl: config.EMAIL_SERVICE_URL, credential });
}
