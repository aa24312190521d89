// First: with tracing on, the instrumentation must be in place before anything loads node:http.
import '@merchant-platform/common/tracing/start';
import { loadConfigOrExit, readValueOrFile } from '@merchant-platform/common/config';
import { API_INTRODUCTION } from '@merchant-platform/common/http/api-guide';
import { landingPageModule } from '@merchant-platform/common/http/landing-page';
import { runService } from '@merchant-platform/common/service-runtime';
import { explainFileFailure, startupStep } from '@merchant-platform/common/startup-failure';
import { allInOneConfigSchema } from './config.js';
import { localSecrets } from './local-secrets.js';
import { brandFrom } from '@merchant-platform/console/brand';
import { consoleInFront } from './console-front.js';
import { GOOGLE_COMPLETION_PATH } from '@merchant-platform/console/pages/google-sign-in';
import { createPlatformModules, migrateAll } from './platform.js';

const config = loadConfigOrExit(allInOneConfigSchema);
const given = {
  jwtPrivateKey: readValueOrFile(config.JWT_PRIVATE_KEY, config.JWT_PRIVATE_KEY_FILE),
  sessionKeys: config.SESSION_KEYS,
  serviceToken: config.SERVICE_TOKEN,
  passwordPepper: config.PASSWORD_PEPPER,
  webhookSecretKey: config.WEBHOOK_SECRET_KEY,
};
const secrets = await startupStep(
  'all-in-one',
  () => localSecrets(config.DATA_DIR, given),
  explainFileFailure(config.DATA_DIR, 'DATA_DIR'),
);

const VERSION = '0.1.0';
const base = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`;
const googleSignIn = Boolean(config.GOOGLE_CLIENT_ID);
// Auth sends the browser back to the console's completion page with the token pair: it must be allowed.
const redirectAllowList = googleSignIn
  ? [...config.AUTH_REDIRECT_ALLOWLIST, `${config.CONSOLE_URL ?? base}${GOOGLE_COMPLETION_PATH}`]
  : config.AUTH_REDIRECT_ALLOWLIST;

await runService({
  service: 'all-in-one',
  version: VERSION,
  description: API_INTRODUCTION,
  config,
  session: { keys: secrets.sessionKeys, secure: config.NODE_ENV === 'production' },
  createModule: async (context) => {
    await migrateAll(context);
    const services = createPlatformModules(context, {
      jwtPrivateKey: secrets.jwtPrivateKey,
      retiredPublicKeys: config.JWT_RETIRED_PUBLIC_KEYS,
      nextPublicKey: config.JWT_NEXT_PUBLIC_KEY,
      auth: {
        ...config,
        AUTH_REDIRECT_ALLOWLIST: redirectAllowList,
        PASSWORD_PEPPER: secrets.passwordPepper,
        SERVICE_TOKEN: secrets.serviceToken,
      },
      email: { ...config, SERVICE_TOKEN: secrets.serviceToken },
      consoleUrl: config.CONSOLE_URL ?? base,
      invitationRatePerHour: config.RATE_LIMIT_INVITATIONS_PER_HOUR,
      webhooks: { ...config, WEBHOOK_SECRET_KEY: secrets.webhookSecretKey },
    });
    // The console has `/`; the developer's start page moves to /start.
    return [...services, landingPageModule(context.openapi, { name: 'Merchant Platform', version: VERSION, path: '/start' })];
  },
  frontApp: (apis, context) =>
    consoleInFront(apis, context, {
      brand: brandFrom(config),
      sessionKeys: secrets.sessionKeys,
      secureCookies: config.NODE_ENV === 'production',
      trustProxy: config.TRUST_PROXY,
      invitations: config.CONSOLE_INVITATIONS,
      google: googleSignIn,
    }),
  onListening: () => {
    process.stdout.write(
      `\nMerchant Platform is up (all-in-one, ${config.DATABASE_URL.split(':')[0]}).\n  Console: ${base}/\n  API:     ${base}\n  Docs:    ${base}/docs\n  Start:   ${base}/start\n\n`,
    );
  },
});
