import type { Sequelize } from 'sequelize';
import type { Logger } from '../logger.js';

/**
 * Sequelize's names for "the database could not be reached or did not answer in time"
 * (ConnectionError covers refused, timed out, host not found/reachable, acquire timeout,
 * access denied); TimeoutError is SQLite's SQLITE_BUSY after busy_timeout.
 */
const UNAVAILABLE_ERROR_NAMES = new Set([
  'SequelizeConnectionError',
  'SequelizeConnectionRefusedError',
  'SequelizeConnectionTimedOutError',
  'SequelizeConnectionAcquireTimeoutError',
  'SequelizeHostNotFoundError',
  'SequelizeHostNotReachableError',
  'SequelizeInvalidConnectionError',
  'SequelizeAccessDeniedError',
  'SequelizeTimeoutError',
]);

/** Driver codes that surface inside a DatabaseError when a connection dies or a deadline passes. */
const UNAVAILABLE_DRIVER_CODES = new Set([
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'SQLITE_BUSY',
]);

/** True when `error` means the database is down, frozen or overloaded, not that the query was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let cause = error as { name?: unknown; code?: unknown; fatal?: unknown; parent?: unknown; original?: unknown } | undefined, depth = 0;
    cause && depth < 4;
    depth++
  ) {
    if (typeof cause.name === 'string' && UNAVAILABLE_ERROR_NAMES.has(cause.name)) return true;
    if (typeof cause.code === 'string' && UNAVAILABLE_DRIVER_CODES.has(cause.code)) return true;
    // mysql2 marks errors that broke the connection (as opposed to a bad statement) as fatal.
    if (cause.fatal === true) return true;
    cause = (cause.parent ?? cause.original) as typeof cause;
  }
  return false;
}

/** The short, secret-free reason an outage is logged with (no SQL, no stack). */
function describe(error: unknown): { error: string; code?: string } {
  const { name, parent } = error as { name?: string; parent?: { code?: string } };
  const code = parent?.code ?? (error as { code?: string }).code;
  return code ? { error: String(name), code } : { error: String(name) };
}

/**
 * Logs an outage once when a query first fails for unavailability and once when a query next
 * succeeds, instead of one stack per failed request.
 */
export function logOutages(sequelize: Sequelize, logger: Logger): void {
  let downSince: number | undefined;
  const query = sequelize.query.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
  (sequelize as { query: unknown }).query = async (...args: unknown[]) => {
    try {
      const result = await query(...args);
      if (downSince !== undefined) {
        logger.info({ outage_ms: Date.now() - downSince }, 'database reachable again');
        downSince = undefined;
      }
      return result;
    } catch (error) {
      if (downSince === undefined && isDatabaseUnavailable(error)) {
        downSince = Date.now();
        logger.error(describe(error), 'database unavailable: answering 503 until it recovers');
      }
      throw error;
    }
  };
}
