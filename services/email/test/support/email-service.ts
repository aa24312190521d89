import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import type { Logger } from '@merchant-platform/common/logger';
import { createMetrics, type Metrics } from '@merchant-platform/common/metrics';
import type { RunningServer } from '@merchant-platform/common/testing/http-server';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { serveModules } from '@merchant-platform/common/testing/test-app';
import { createEmailModule, emailMigrations, type EmailModule, type ServiceAuthenticator } from '../../src/app.js';
import { loadEmailConfig } from '../../src/config.js';

export const SERVICE_TOKEN = 'test-service-token-0123456789abcdef';

/** Fast settings for tests: short polls and back-off, a high send rate. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SERVICE_TOKEN,
    EMAIL_TRANSPORT: 'ses',
    AWS_REGION: 'us-east-1',
    EMAIL_FROM: 'no-reply@merchant-platform.test',
    EMAIL_POLL_INTERVAL_MS: '50',
    EMAIL_RETRY_BASE_MS: '50',
    EMAIL_RETRY_MAX_MS: '200',
    EMAIL_SEND_RATE_PER_SECOND: '5000',
    EMAIL_BATCH_SIZE: '25',
    SES_TIMEOUT_MS: '2000',
    EMAIL_LEASE_SECONDS: '10',
    ...overrides,
  };
}

export interface RunningEmailService {
  url: string;
  module: EmailModule;
  db: Database;
  metrics: Metrics;
  logs: ReturnType<typeof captureLogs>;
  close(): Promise<void>;
}

/**
 * One e-mail service instance as main.ts builds it (same module, same app), on its own pool,
 * over real HTTP on a loopback port. Several may share one database, like replicas.
 */
export async function startEmailService(options: {
  databaseUrl: string;
  env?: Record<string, string>;
  authenticator?: ServiceAuthenticator;
  /** Start the dispatcher (default true). */
  dispatch?: boolean;
  logger?: Logger;
}): Promise<RunningEmailService> {
  const logs = captureLogs();
  const logger = options.logger ?? logs.logger;
  const db = await openDatabase(options.databaseUrl);
  await new SchemaMigrator(db, 'email', emailMigrations).up();
  const openapi = createOpenApiRegistry();
  const metrics = createMetrics();
  const module = createEmailModule({
    db,
    logger,
    openapi,
    metrics,
    config: loadEmailConfig(testEnv(options.env)),
    ...(options.authenticator ? { authenticator: options.authenticator } : {}),
  });
  const server: RunningServer = await serveModules({ modules: [module], openapi, logger, overrides: { metrics } });
  if (options.dispatch ?? true) module.start!();
  return {
    url: server.url,
    module,
    db,
    metrics,
    logs,
    close: async () => {
      await server.close();
      await module.stop!();
      await db.close();
    },
  };
}

/** Polls `probe` until its value meets `condition` (the kit's `eventually`, with the condition apart). */
export function waitFor<T>(what: string, probe: () => Promise<T>, condition: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  return eventually(
    async () => {
      const value = await probe();
      return condition(value) ? value : undefined;
    },
    what,
    { timeoutMs },
  );
}

/** A fresh test database with the e-mail schema in place, for a service started as a process. */
export async function createMigratedTestDatabase(): Promise<TestDatabase> {
  const testDb = await createTestDatabase();
  const db = await openDatabase(testDb.url);
  await new SchemaMigrator(db, 'email', emailMigrations).up();
  await db.close();
  return testDb;
}

/** Rows of the outbox by status, read straight from the database. */
export async function countByStatus(db: Database, recipientLike: string): Promise<Record<string, number>> {
  const [rows] = await db.sequelize.query('SELECT status, COUNT(*) AS n FROM email_outbox WHERE recipient LIKE ? GROUP BY status', {
    replacements: [recipientLike],
  });
  return Object.fromEntries((rows as { status: string; n: number | string }[]).map((r) => [r.status, Number(r.n)]));
}
