import { loadConfigOrExit, readValueOrFile } from '@merchant-platform/common/config';
import { API_INTRODUCTION } from '@merchant-platform/common/http/api-guide';
import { landingPageModule } from '@merchant-platform/common/http/landing-page';
import { runService } from '@merchant-platform/common/service-runtime';
import { explainFileFailure, startupStep } from '@merchant-platform/common/startup-failure';
import { allInOneConfigSchema } from './config.js';
import { localSecrets } from './local-secrets.js';
import { createPlatformModules, migrateAll } from './platform.js';

const config = loadConfigOrExit(allInOneConfigSchema);
const given = {
  jwtPrivateKey: readValueOrFile(config.JWT_PRIVATE_KEY, config.JWT_PRIVATE_KEY_FILE),
  sessionKeys: config.SESSION_KEYS,
  serviceToken: config.SERVICE_TOKEN,
  passwordPepper: config.PASSWORD_PEPPER,
};
const secrets = await startupStep(
  'all-in-one',
  () => localSecrets(config.DATA_DIR, given),
  explainFileFailure(config.DATA_DIR, 'DATA_DIR'),
);

const VERSION = '0.1.0';

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
      auth: { ...config, PASSWORD_PEPPER: secrets.passwordPepper, SERVICE_TOKEN: secrets.serviceToken },
      email: { ...config, SERVICE_TOKEN: secrets.serviceToken },
    });
    return [...services, landingPageModule(context.openapi, { name: 'Merchant Platform', version: VERSION })];
  },
  onListening: () => {
    const base = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`;
    process.stdout.write(
      `\nMerchant Platform is up (all-in-one, ${config.DATABASE_URL.split(':')[0]}).\n  API:  ${base}\n  Docs: ${base}/docs\n\n`,
    );
  },
});
