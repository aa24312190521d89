import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Sequelize, Transaction } from 'sequelize';
import type { Logger } from '../logger.js';

export type Dialect = 'mysql' | 'sqlite';

export interface Database {
  sequelize: Sequelize;
  dialect: Dialect;
  /** The MySQL schema name (rate limiter tables are addressed as schema.table). */
  schemaName: string | undefined;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  poolMax?: number;
  logger?: Logger;
}

/**
 * One pooled Sequelize instance per process, from `DATABASE_URL`: `mysql://` (or `mariadb://`)
 * for the services, `sqlite:<path>` for the embedded all-in-one mode and tests.
 */
export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<Database> {
  const logging = options.logger ? (sql: string) => options.logger!.trace({ sql }, 'sql') : false;
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length), logging);

  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const sequelize = new Sequelize(parsed.toString(), {
    dialect: 'mysql',
    logging,
    timezone: '+00:00',
    pool: { max: options.poolMax ?? 10, min: 0, idle: 10_000, acquire: 10_000 },
    dialectOptions: { charset: 'utf8mb4', connectTimeout: 5_000 },
    define: { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
  });
  return {
    sequelize,
    dialect: 'mysql',
    schemaName: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    close: () => sequelize.close(),
  };
}

async function openSqlite(storage: string, logging: false | ((sql: string) => void)): Promise<Database> {
  if (storage !== ':memory:') mkdirSync(dirname(storage), { recursive: true });
  const sequelize = new Sequelize({
    dialect: 'sqlite',
    storage,
    logging,
    // Take the write lock when a transaction starts, so two writers queue on busy_timeout
    // instead of deadlocking when both try to upgrade a read lock.
    transactionType: Transaction.TYPES.IMMEDIATE,
    retry: { match: [/SQLITE_BUSY/], max: 10 },
  });
  if (storage !== ':memory:') {
    // WAL lets readers proceed while one writer commits; busy_timeout makes writers wait.
    await sequelize.query('PRAGMA journal_mode = WAL');
  }
  await sequelize.query('PRAGMA busy_timeout = 5000');
  return { sequelize, dialect: 'sqlite', schemaName: undefined, close: () => sequelize.close() };
}
