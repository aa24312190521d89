import type { Logger } from '../logger.js';
import type { ServiceAuthSettings } from './config.js';
import { TokenReviewAuthenticator } from './kubernetes-token-review.js';
import type { ServiceAuthenticator } from './service-authenticator.js';
import { SharedSecretAuthenticator } from './shared-secret.js';

/** The authenticator `SERVICE_AUTH` selects; `service` names this service in the warning. */
export function createServiceAuthenticator(config: ServiceAuthSettings, logger: Logger, service: string): ServiceAuthenticator {
  if (config.SERVICE_AUTH === 'kubernetes') {
    return TokenReviewAuthenticator.inCluster(
      { audience: config.SERVICE_AUTH_AUDIENCE, allowedServiceAccounts: config.SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS },
      logger,
    );
  }
  if (!config.SERVICE_TOKEN) logger.warn(`SERVICE_TOKEN is not set: every service call to the ${service} API will be refused`);
  return new SharedSecretAuthenticator(config.SERVICE_TOKEN);
}
