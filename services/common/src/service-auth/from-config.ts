import { unavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ServiceAuthSettings } from './config.js';
import type { ServiceAuthenticator } from './service-authenticator.js';
import { SharedSecretAuthenticator } from './shared-secret.js';

/** The authenticator `SERVICE_AUTH` selects; `service` names this service in the warning. */
export function createServiceAuthenticator(config: ServiceAuthSettings, logger: Logger, service: string): ServiceAuthenticator {
  if (config.SERVICE_AUTH === 'kubernetes') return tokenReviewAtFirstCall(config, logger);
  if (!config.SERVICE_TOKEN) logger.warn(`SERVICE_TOKEN is not set: every service call to the ${service} API will be refused`);
  return new SharedSecretAuthenticator(config.SERVICE_TOKEN);
}

/**
 * The Kubernetes client is some 850 modules and 80 MiB: loading it at start-up took most of
 * every service's cold start, so it is imported when the first service call is checked.
 */
function tokenReviewAtFirstCall(config: ServiceAuthSettings, logger: Logger): ServiceAuthenticator {
  let loading: Promise<ServiceAuthenticator> | undefined;
  const load = async (): Promise<ServiceAuthenticator> => {
    const { TokenReviewAuthenticator } = await import('./kubernetes-token-review.js');
    return TokenReviewAuthenticator.inCluster(
      { audience: config.SERVICE_AUTH_AUDIENCE, allowedServiceAccounts: config.SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS },
      logger,
    );
  };
  return {
    async authenticate(bearer) {
      loading ??= load().catch((error: unknown) => {
        loading = undefined;
        logger.error({ err: error }, 'the Kubernetes client could not be loaded');
        throw unavailable('Service authentication is unavailable; try again shortly.');
      });
      return (await loading).authenticate(bearer);
    },
  };
}
