import { randomBytes } from 'node:crypto';
import { loadConfigOrExit } from '@merchant-platform/common/config';
import { ApiRouter } from '@merchant-platform/common/http/api-router';
import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import { runService } from '@merchant-platform/common/service-runtime';
import { ApiClient } from './api-client/api-client.js';
import { routedTransport } from './api-client/routed-transport.js';
import { fetchTransport } from './api-client/transport.js';
import { createConsoleApp, consoleMigrations } from './app.js';
import { brandFrom } from './brand.js';
import { consoleConfigSchema } from './config.js';

const config = loadConfigOrExit(consoleConfigSchema);
const auth = fetchTransport(config.AUTH_API_URL);
const merchants = fetchTransport(config.MERCHANTS_API_URL);
const api = new ApiClient(routedTransport({ '/auth': auth, '/merchants': merchants, '/users': merchants }));

await runService({
  service: 'console',
  version: '0.1.0',
  config,
  // The console has no API of its own: its module only reports whether its tables are current.
  createModule: ({ db, logger, openapi }) => {
    const migrator = new SchemaMigrator(db, 'console', consoleMigrations, logger);
    return {
      name: 'console',
      api: new ApiRouter(openapi),
      readiness: [{ name: 'console-database', check: () => migrator.assertCurrent() }],
    };
  },
  frontApp: (apis, { db, logger }) =>
    createConsoleApp({
      api,
      db,
      logger,
      brand: brandFrom(config),
      features: { invitations: config.CONSOLE_INVITATIONS, google: config.CONSOLE_GOOGLE_SIGN_IN },
      // Outside production a missing key is generated: sessions then end when the process does.
      sessionKeys: config.SESSION_KEYS ?? [randomBytes(32).toString('base64url')],
      secureCookies: config.NODE_ENV === 'production',
      trustProxy: config.TRUST_PROXY,
      fallthrough: apis.callback(),
    }),
});
