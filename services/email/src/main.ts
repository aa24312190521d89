// First: with tracing on, the instrumentation must be in place before anything loads node:http.
import '@merchant-platform/common/tracing/start';
import { loadConfigOrExit } from '@merchant-platform/common/config';
import { runService } from '@merchant-platform/common/service-runtime';
import { createEmailModule } from './app.js';
import { emailConfigSchema } from './config.js';

const config = loadConfigOrExit(emailConfigSchema);

await runService({
  service: 'email',
  version: '0.1.0',
  config,
  createModule: ({ db, logger, metrics, openapi }) => createEmailModule({ db, logger, metrics, openapi, config }),
});
