import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import sqlite3 from 'sqlite3';
import { Sequelize, Transaction } from 'sequelize';
import type { Logger } from '../logger.js';
import { takeTurnsToWrite } from './sqlite-write-turns.js';
import { logOutages } from './unavailable.js';

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
  /** Longest a statement may run (MySQL; SQLite waits this long for a lock); 0 means no deadline (migrations). */
  queryTimeoutMs?: number;
  /** Longest a request waits for a pooled connection, opening one included. */
  acquireTimeoutMs?: number;
  /** Log outages once each (the default with a logger); a start-up check reports its own failure instead. */
  reportOutages?: boolean;
}

const DEFAULT_QUERY_TIMEOUT_MS = 5_000;
const DEFAULT_ACQUIRE_TIMEOUT_MS = 5_000;
/** As long as Sequelize's SQLITE_BUSY retries last: the wait a writer had before turns existed. */
const SQLITE_WRITE_TURN_WAIT_MS = 10_000;

/**
 * Every DATETIME is written and read in UTC. An offset, never a zone name: Sequelize applies an
 * offset without moment-timezone's zone database, which the services' bundles leave out
 * (tools/bundle.ts).
 */
export const DATABASE_TIME_ZONE = '+00:00';

/**
 * One pooled Sequelize instance per process, from `DATABASE_URL`: `mysql://` (or `mariadb://`)
 * for the services, `sqlite:<path>` for the embedded all-in-one mode and tests.
 */
export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<Database> {
  const logging = options.logger ? (sql: string) => options.logger!.trace({ sql }, 'sql') : false;
  const queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const acquireTimeoutMs = options.acquireTimeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS;
  const database = url.startsWith('sqlite:')
    ? await openSqlite(url.slice('sqlite:'.length), logging, queryTimeoutMs || DEFAULT_QUERY_TIMEOUT_MS)
    : await openMysql(url, logging, { poolMax: options.poolMax ?? 10, queryTimeoutMs, acquireTimeoutMs });
  if (options.logger && options.reportOutages !== false) logOutages(database.sequelize, options.logger);
  return database;
}

async function openMysql(
  url: string,
  logging: false | ((sql: string) => void),
  limits: { poolMax: number; queryTimeoutMs: number; acquireTimeoutMs: number },
): Promise<Database> {
  // mysql2 is some 80 modules: an embedded SQLite process never loads it.
  const { mysql2WithQueryDeadline } = await import('./mysql-deadlines.js');
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const sequelize = new Sequelize(parsed.toString(), {
    dialect: 'mysql',
    ...(limits.queryTimeoutMs > 0 ? { dialectModule: mysql2WithQueryDeadline(limits.queryTimeoutMs) } : {}),
    logging,
    timezone: DATABASE_TIME_ZONE,
    // A frozen server accepts TCP but never greets: connectTimeout bounds the handshake, acquire the wait.
    pool: { max: limits.poolMax, min: 0, idle: 10_000, acquire: limits.acquireTimeoutMs },
    dialectOptions: { charset: 'utf8mb4', connectTimeout: limits.acquireTimeoutMs },
    define: { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
  });
  return {
    sequelize,
    dialect: 'mysql',
    schemaName: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    close: () => sequelize.close(),
  };
}

async function openSqlite(storage: string, logging: false | ((sql: string) => void), busyTimeoutMs: number): Promise<Database> {
  if (storage !== ':memory:') mkdirSync(dirname(storage), { recursive: true });
  const sequelize = new Sequelize({
    dialect: 'sqlite',
    storage,
    logging,
    timezone: DATABASE_TIME_ZONE,
    dialectModule: sqlite3WithoutBlockingWaits,
    // Take the write lock when a transaction starts, so two writers queue on busy_timeout
    // instead of deadlocking when both try to upgrade a read lock.
    transactionType: Transaction.TYPES.IMMEDIATE,
    // A transaction's BEGIN that finds the lock taken retries here, with back-off (about 10 s
    // in all), instead of waiting inside a libuv thread.
    retry: { match: [/SQLITE_BUSY/], max: 25 },
  });
  takeTurnsToWrite(sequelize, SQLITE_WRITE_TURN_WAIT_MS);
  if (storage !== ':memory:') {
    // WAL lets readers proceed while one writer commits; busy_timeout makes writers wait.
    await sequelize.query('PRAGMA journal_mode = WAL');
  }
  // The shared connection (one statement at a time, outside transactions) waits in SQLite.
  await sequelize.query(`PRAGMA busy_timeout = ${Math.round(busyTimeoutMs)}`);
  return { sequelize, dialect: 'sqlite', schemaName: undefined, close: () => sequelize.close() };
}

/**
 * sqlite3 opens every connection with a 1 s busy timeout, during which a waiting statement
 * holds one of libuv's few threads. Sequelize gives each transaction its own connection, so a
 * burst of transactions could occupy every thread while the one holding the lock needs a thread
 * to commit. Here a connection fails fast instead, and Sequelize's retry waits on a timer.
 */
const sqlite3WithoutBlockingWaits = {
  ...sqlite3,
  Database: class extends sqlite3.Database {
    constructor(...args: ConstructorParameters<typeof sqlite3.Database>) {
      super(...args);
      this.configure('busyTimeout', 0);
    }
  },
};
