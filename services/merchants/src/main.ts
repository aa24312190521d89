// First: with tracing on, the instrumentation must be in place before anything loads node:http.
import '@merchant-platform/common/tracing/start';
import { loadConfigOrExit } from '@merchant-platform/common/config';
import { runService } from '@merchant-platform/common/service-runtime';
import { serviceCredentialFromEnv } from '@merchant-platform/common/service-auth/service-credential';
import { AccessTokenVerifier } from '@merchant-platform/common/tokens/access-token';
import { HttpRevocationSource } from '@merchant-platform/common/tokens/http-revocation-source';
import { RemoteJwksResolver } from '@merchant-platform/common/tokens/remote-jwks';
import { RevocationList } from '@merchant-platform/common/tokens/revocation-list';
import { RevocationPoller } from '@merchant-platform/common/tokens/revocation-poller';
import { createMerchantsModule } from './app.js';
import { merchantsConfigSchema } from './config.js';
import { mailerFromConfig } from './mailer-from-config.js';

const config = loadConfigOrExit(merchantsConfigSchema);
const revoked = new RevocationList();
const verifier = new AccessTokenVerifier(
  new RemoteJwksResolver(config.JWKS_URL),
  { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
  revoked,
);
const source = config.AUTH_INTERNAL_URL
  ? new HttpRevocationSource({ baseUrl: config.AUTH_INTERNAL_URL, credential: serviceCredentialFromEnv(config) })
  : undefined;

await runService({
  service: 'merchants',
  version: '0.1.0',
  config,
  createModule: ({ db, logger, metrics, openapi }) => {
    if (!source) logger.warn('no AUTH_INTERNAL_URL: revoked users keep access until their tokens expire');
    if (!config.EMAIL_SERVICE_URL) logger.warn('no EMAIL_SERVICE_URL: invitations cannot be sent (503)');
    const revocations = source && new RevocationPoller(source, revoked, { intervalMs: config.REVOCATION_POLL_INTERVAL_MS, logger });
    return createMerchantsModule({
      db,
      logger,
      metrics,
      openapi,
      verifier,
      revocations,
      stepUpMaxAgeSeconds: config.STEP_UP_MAX_AGE_SECONDS,
      apiKeyRatePerMinute: config.RATE_LIMIT_API_KEY_PER_MINUTE,
      mailer: mailerFromConfig(config),
      consoleUrl: config.CONSOLE_URL,
      invitationRatePerHour: config.RATE_LIMIT_INVITATIONS_PER_HOUR,
      serviceAuth: config,
      webhooks: config,
    });
  },
});
