import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { createApp, type AppOptions, type ServiceModule } from '../src/http/app.js';
import type { Logger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { listen, type RunningServer } from './http-server.js';

/** Serves modules exactly as a service would (same createApp), on an ephemeral loopback port. */
export async function serveModules(options: {
  modules: ServiceModule[];
  openapi: OpenAPIRegistry;
  logger: Logger;
  overrides?: Partial<AppOptions>;
}): Promise<RunningServer> {
  const app = createApp({
    title: 'test',
    version: 'test',
    modules: options.modules,
    openapi: options.openapi,
    logger: options.logger,
    metrics: createMetrics(),
    health: { draining: false },
    trustProxy: false,
    corsOrigins: [],
    ...options.overrides,
  });
  return listen(app);
}
