import type { Logger } from '@merchant-platform/common/logger';
import type { EmailConfig } from '../config.js';
import { TokenReviewAuthenticator } from './kubernetes-token-review.js';
import type { ServiceAuthenticator } from './service-authenticator.js';
import { SharedSecretAuthenticator } from './shared-secret.js';

/** The authenticator `SERVICE_AUTH` selects. */
export function createServiceAuthenticator(
  config: Pick<EmailConfig, 'SERVICE_AUTH' | 'SERVICE_TOKEN' | 'SERVICE_AUTH_AUDIENCE' | 'SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS'>,
  logger: Logger,
): ServiceAuthenticator {
  if (config.SERVICE_AUTH === 'kubernetes') {
    return TokenReviewAuthenticator.inCluster(
      { audience: config.SERVICE_AUTH_AUDIENCE, allowedServiceAccounts: config.SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS },
      logger,
    );
  }
  if (!config.SERVICE_TOKEN) logger.warn('SERVICE_TOKEN is not set: every call to the e-mail API will be refused');
  return new SharedSecretAuthenticator(config.SERVICE_TOKEN);
}
