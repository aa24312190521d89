import { RateLimiterMemory, RateLimiterMySQL, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimited } from './errors.js';
import type { Database } from './db/database.js';

export interface LimitRule {
  /** Distinguishes this limit's keys from every other limit's in the shared table. */
  name: string;
  points: number;
  durationSeconds: number;
}

export type RateLimiterFactory = (rule: LimitRule) => RateLimiterAbstract;

/**
 * Limits shared by every replica: stored in the MySQL database when there is one (the table is
 * created by the owning service's migration), in memory for single-process SQLite mode.
 */
export function rateLimiterFactory(db: Database, tableName: string): RateLimiterFactory {
  return (rule) => {
    const common = { keyPrefix: rule.name, points: rule.points, duration: rule.durationSeconds };
    if (db.dialect !== 'mysql') return new RateLimiterMemory(common);
    return new RateLimiterMySQL({
      ...common,
      storeClient: db.sequelize,
      storeType: 'sequelize',
      dbName: db.schemaName,
      tableName,
      tableCreated: true,
      clearExpiredByTimeout: true,
    });
  };
}

/** Spends `points` for `key`, or throws the contract's 429 with `Retry-After`. */
export async function consumeOrThrow(limiter: RateLimiterAbstract, key: string, points = 1): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw rateLimited(rejection.msBeforeNext / 1000);
    throw rejection;
  }
}

/** Throws 429 if `key` has already used up its points, without spending any. */
export async function assertNotLimited(limiter: RateLimiterAbstract, key: string): Promise<void> {
  const state = await limiter.get(key);
  if (state && state.consumedPoints >= limiter.points) throw rateLimited(state.msBeforeNext / 1000);
}
