// First: with tracing on, the instrumentation must be in place before anything loads node:http.
import '@merchant-platform/common/tracing/start';
import { randomBytes } from 'node:crypto';
import { loadConfigOrExit, readValueOrFile } from '@merchant-platform/common/config';
import { createLogger } from '@merchant-platform/common/logger';
import { runService } from '@merchant-platform/common/service-runtime';
import { createAuthModule } from './app.js';
import { authConfigSchema } from './config.js';
import { mailerFromConfig } from './mailer-from-config.js';
import { userDataPeersFromConfig } from './user-data-peers-from-config.js';
import { eventDeliveryFromConfig } from './event-delivery-from-config.js';
import { SigningKeys } from './domain/signing-keys.js';

const config = loadConfigOrExit(authConfigSchema);
const bootLog = createLogger({ level: config.LOG_LEVEL, name: 'auth' });
const privateKey = readValueOrFile(config.JWT_PRIVATE_KEY, config.JWT_PRIVATE_KEY_FILE);
if (!privateKey) bootLog.warn('no JWT_PRIVATE_KEY: using a throw-away key (tokens die with this process)');
const keys = new SigningKeys(privateKey ?? SigningKeys.generatePem(), config.JWT_RETIRED_PUBLIC_KEYS, config.JWT_NEXT_PUBLIC_KEY);
const sessionKeys = config.SESSION_KEYS ?? [randomBytes(32).toString('base64url')];
// Production requires PASSWORD_PEPPER (config.ts); elsewhere a throw-away one, like the JWT key.
if (!config.PASSWORD_PEPPER) bootLog.warn('no PASSWORD_PEPPER: using a throw-away pepper (passwords set now stop working after a restart)');
const passwordPepper = config.PASSWORD_PEPPER ?? randomBytes(32).toString('base64url');

await runService({
  service: 'auth',
  version: '0.1.0',
  config,
  session: { keys: sessionKeys, secure: config.NODE_ENV === 'production' },
  createModule: ({ db, logger, metrics, openapi }) =>
    createAuthModule({
      db,
      logger,
      metrics,
      openapi,
      keys,
      mailer: mailerFromConfig(config, logger),
      userDataPeers: userDataPeersFromConfig(config),
      eventDelivery: eventDeliveryFromConfig(config, logger),
      settings: { ...config, PASSWORD_PEPPER: passwordPepper },
    }),
});
