import { HttpEventTransport } from '@merchant-platform/common/events/http-transport';
import type { Logger } from '@merchant-platform/common/logger';
import { serviceCredentialFromEnv } from '@merchant-platform/common/service-auth/service-credential';
import type { AuthEventDelivery } from './auth-events.js';
import type { AuthConfig } from './config.js';

/**
 * Events go over HTTP to the services whose URL is set (both, always, in production), with the
 * credential auth presents to email (in Kubernetes, a projected token for each consumer's audience). A service without a URL gets none: it is not deployed here.
 */
export function eventDeliveryFromConfig(config: AuthConfig, logger: Logger): AuthEventDelivery | undefined {
  const consumers = Object.fromEntries(
    Object.entries({ merchants: config.MERCHANTS_SERVICE_URL, email: config.EMAIL_SERVICE_URL }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  if (Object.keys(consumers).length === 0) {
    logger.warn('no MERCHANTS_SERVICE_URL or EMAIL_SERVICE_URL: events are recorded in the audit log and delivered to no service');
    return undefined;
  }
  const credential = serviceCredentialFromEnv(config);
  const merchantsCredential = config.MERCHANTS_SERVICE_TOKEN_FILE ? { tokenFile: config.MERCHANTS_SERVICE_TOKEN_FILE } : credential;
  return {
    transport: new HttpEventTransport({ consumers, credentials: { email: credential, merchants: merchantsCredential } }),
    consumers: Object.keys(consumers),
  };
}
