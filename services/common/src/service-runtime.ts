import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type Koa from 'koa';
import { openDatabase, type Database, type DatabaseOptions } from './db/database.js';
import { logOutages } from './db/unavailable.js';
import { SchemaMigrator, type Migration } from './db/migrations.js';
import { createApp, type ServiceModule } from './http/app.js';
import { serve } from './http/server.js';
import { createOpenApiRegistry } from './http/openapi.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { flushTraces } from './tracing/trace-ids.js';
import { explainDatabaseFailure, explainListenFailure, startupStep } from './startup-failure.js';

export interface RuntimeConfig {
  NODE_ENV: string;
  PORT: number;
  HOST: string;
  TRUST_PROXY: boolean;
  CORS_ORIGINS: string[];
  LOG_LEVEL: string;
  SHUTDOWN_GRACE_SECONDS: number;
  DATABASE_URL?: string | undefined;
  DB_POOL_MAX?: number;
  DB_QUERY_TIMEOUT_MS?: number;
  DB_ACQUIRE_TIMEOUT_MS?: number;
}

export interface ModuleContext {
  db: Database;
  logger: Logger;
  metrics: Metrics;
  openapi: OpenAPIRegistry;
}

/** Outside production a standalone service may run on its own SQLite file. */
const devDatabaseUrl = (service: string) => `sqlite:./data/${service}.sqlite`;

/**
 * Opens the pool and makes one connection now, so an unreachable database or a wrong password
 * ends the start with a line saying so rather than failing the first request.
 */
async function connectAtStartup(service: string, url: string, options: DatabaseOptions): Promise<Database> {
  return startupStep(
    service,
    async () => {
      const db = await openDatabase(url, { ...options, reportOutages: false });
      await db.sequelize.authenticate();
      // From here on a lost database is an outage, logged once each (start-up failures say so themselves).
      if (options.logger) logOutages(db.sequelize, options.logger);
      return db;
    },
    explainDatabaseFailure(url),
  );
}

/**
 * What every service's main.ts does: open the pool, build the module and app, listen, and
 * drain on SIGTERM (stop background work, then close the pool).
 */
export async function runService(options: {
  service: string;
  version: string;
  config: RuntimeConfig;
  /** One module for a service; all-in-one mode passes all three. */
  createModule: (context: ModuleContext) => ServiceModule | ServiceModule[] | Promise<ServiceModule | ServiceModule[]>;
  session?: { keys: string[]; secure: boolean };
  /** The introduction of the service's OpenAPI document (Markdown, shown at the top of /docs). */
  description?: string;
  /** Printed once listening (all-in-one mode tells a person where to look). */
  onListening?: (logger: Logger) => void;
  /**
   * An app served in front of the APIs' app (the console): it handles its own paths and hands
   * every other request to `apis` (health, metrics, docs and, in all-in-one mode, the APIs).
   */
  frontApp?: (apis: Koa, context: ModuleContext) => Koa;
}): Promise<void> {
  const { config } = options;
  const logger = createLogger({ level: config.LOG_LEVEL, name: options.service });
  const db = await connectAtStartup(options.service, config.DATABASE_URL ?? devDatabaseUrl(options.service), {
    logger,
    poolMax: config.DB_POOL_MAX,
    queryTimeoutMs: config.DB_QUERY_TIMEOUT_MS,
    acquireTimeoutMs: config.DB_ACQUIRE_TIMEOUT_MS,
  });
  const metrics = createMetrics();
  const openapi = createOpenApiRegistry();
  const created = await options.createModule({ db, logger, metrics, openapi });
  const modules = Array.isArray(created) ? created : [created];
  const health = { draining: false };
  const app = createApp({
    title: `Merchant Platform: ${options.service}`,
    version: options.version,
    description: options.description,
    modules,
    openapi,
    logger,
    metrics,
    health,
    trustProxy: config.TRUST_PROXY,
    corsOrigins: config.CORS_ORIGINS,
    session: options.session,
  });
  const served = options.frontApp ? options.frontApp(app, { db, logger, metrics, openapi }) : app;
  const serveOptions = {
    port: config.PORT,
    host: config.HOST,
    logger,
    health,
    graceSeconds: config.SHUTDOWN_GRACE_SECONDS,
    onClose: async () => {
      await Promise.all(modules.map((m) => m.stop?.()));
      await db.close();
      await flushTraces();
    },
  };
  await startupStep(options.service, () => serve(served, serveOptions), explainListenFailure(config.HOST, config.PORT));
  for (const m of modules) m.start?.();
  logger.info({ port: config.PORT, host: config.HOST }, `${options.service} listening`);
  options.onListening?.(logger);
}

/** What every service's migrate.ts does: apply its migrations under the lock, then exit. */
export async function runMigrations(options: {
  service: string;
  config: { DATABASE_URL?: string | undefined; LOG_LEVEL: string };
  migrations: Migration[];
}): Promise<void> {
  const logger = createLogger({ level: options.config.LOG_LEVEL, name: `${options.service}-migrate` });
  // No statement deadline: GET_LOCK waits for another migrator and DDL on a big table takes time.
  const db = await connectAtStartup(`${options.service}-migrate`, options.config.DATABASE_URL ?? devDatabaseUrl(options.service), {
    logger,
    queryTimeoutMs: 0,
  });
  try {
    const applied = await new SchemaMigrator(db, options.service, options.migrations, logger).up();
    logger.info({ applied }, applied.length ? 'migrations applied' : 'schema already current');
  } finally {
    await db.close();
  }
}
