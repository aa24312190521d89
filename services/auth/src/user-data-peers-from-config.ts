import { serviceCredentialFromEnv } from '@merchant-platform/common/service-auth/service-credential';
import type { AuthConfig } from './config.js';
import { HttpUserDataPeers } from './data/http-user-data-peers.js';
import { UnreachableUserDataPeers, type UserDataPeers } from './domain/user-data-peers.js';

/** Merchants and email over their internal routes when both addresses are set (always, in production). */
export function userDataPeersFromConfig(config: AuthConfig): UserDataPeers {
  if (!config.MERCHANTS_SERVICE_URL || !config.EMAIL_SERVICE_URL) return new UnreachableUserDataPeers();
  return new HttpUserDataPeers({
    merchants: {
      baseUrl: config.MERCHANTS_SERVICE_URL,
      credential: serviceCredentialFromEnv({
        SERVICE_TOKEN: config.SERVICE_TOKEN,
        SERVICE_TOKEN_FILE: config.MERCHANTS_SERVICE_TOKEN_FILE,
      }),
    },
    email: { baseUrl: config.EMAIL_SERVICE_URL, credential: serviceCredentialFromEnv(config) },
  });
}
