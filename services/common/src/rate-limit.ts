import { createHash } from 'node:crypto';
import { isIP, isIPv6 } from 'node:net';
import { RateLimiterMemory, RateLimiterMySQL, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { DataTypes, type QueryInterface } from 'sequelize';
import { rateLimited } from './errors.js';
import { rateLimitRejections } from './metrics.js';
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
 * Every change of a count (consume, reward) is one atomic upsert in either store; reading a
 * count and then changing it is not, which is why limits are spent before the work they guard.
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

/**
 * The table rate-limiter-flexible's MySQL store expects, for a service's migration to create
 * (`tableCreated: true` above). Unused on SQLite, which has no UNSIGNED (Sequelize would warn
 * and create a plain BIGINT, as this does).
 */
export async function createRateLimitTable(qi: QueryInterface, tableName: string): Promise<void> {
  await qi.createTable(tableName, {
    key: { type: DataTypes.STRING(255), primaryKey: true },
    points: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    expire: { type: qi.sequelize.getDialect() === 'mysql' ? DataTypes.BIGINT.UNSIGNED : DataTypes.BIGINT, allowNull: true },
  });
}

/**
 * The key every per-client limit uses for a client address: an IPv4 address as it is, an IPv6
 * address by its /64 network, since one subscriber usually holds a whole /64 and could
 * otherwise take a fresh address for every request. IPv4-mapped IPv6 counts as the IPv4 address.
 */
export function clientNetwork(ip: string): string {
  const address = ip.split('%')[0]!;
  if (!isIPv6(address)) return isIP(address) ? address : `unparsed:${address.slice(0, 64)}`;
  const groups = ipv6Groups(address);
  if (groups.slice(0, 6).join(':') === '0:0:0:0:0:ffff') {
    const [high, low] = [parseInt(groups[6]!, 16), parseInt(groups[7]!, 16)];
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, without leading zeros ("::" and a dotted IPv4 tail expanded). */
function ipv6Groups(address: string): string[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const hex = dotted
    ? `${address.slice(0, dotted.index)}${((Number(dotted[1]) << 8) | Number(dotted[2])).toString(16)}:${((Number(dotted[3]) << 8) | Number(dotted[4])).toString(16)}`
    : address;
  const [head = '', tail] = hex.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].map((group) => parseInt(group, 16).toString(16));
}

/**
 * InnoDB may pick one of several concurrent upserts of a new key as a deadlock victim and roll
 * it back (nothing was counted), so the change is simply made again.
 */
async function retryingDeadlocks<T>(change: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await change();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if ((code !== 'ER_LOCK_DEADLOCK' && code !== 'ER_LOCK_WAIT_TIMEOUT') || attempt >= 5) throw error;
    }
  }
}

/** The store's key column holds 255 characters; a long key (a 254-character email) is hashed to fit. */
function storedKey(key: string): string {
  return key.length <= 200 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

export interface LimitedKey {
  limiter: RateLimiterAbstract;
  key: string;
  /** Awaited when this limit refuses the attempt; the request still gets its 429. Must not throw. */
  onRefused?: () => Promise<void>;
}

export interface Reservation {
  /** Returns the attempt's point to every limit: for an attempt that succeeded and must not count. */
  giveBack(): Promise<void>;
}

/**
 * Spends one point on every limit before the work they guard (a password check, a mail), so
 * that however many requests arrive at once, no more than each limit's points get through:
 * checking first and counting after would let a burst all pass the check. If any limit
 * refuses, every point the attempt added is returned and the 429 is thrown: at rest, each
 * count is the number of attempts let through.
 */
export async function reserveAttempt(limits: LimitedKey[]): Promise<Reservation> {
  const outcomes = await Promise.allSettled(limits.map(({ limiter, key }) => retryingDeadlocks(() => limiter.consume(storedKey(key)))));
  const giveBackWhere = (counted: (outcome: PromiseSettledResult<unknown>) => boolean) => async () => {
    await Promise.all(
      limits
        .filter((_, index) => counted(outcomes[index]!))
        .map(({ limiter, key }) => retryingDeadlocks(() => limiter.reward(storedKey(key)))),
    );
  };
  const refusals = outcomes.flatMap((outcome, index) =>
    outcome.status === 'rejected' ? [{ reason: outcome.reason as unknown, limit: limits[index]! }] : [],
  );
  if (refusals.length === 0) return { giveBack: giveBackWhere(() => true) };
  // A refused consume is counted too; return every point this attempt added, so a request refused
  // by one limit (a busy client) does not use up another (the platform-wide one).
  await giveBackWhere((outcome) => outcome.status === 'fulfilled' || outcome.reason instanceof RateLimiterRes)();
  const failure = refusals.find(({ reason }) => !(reason instanceof RateLimiterRes));
  if (failure) throw failure.reason;
  for (const { limit } of refusals) rateLimitRejections.inc({ limit: limit.limiter.keyPrefix });
  await Promise.all(refusals.map(({ limit }) => limit.onRefused?.()));
  const waitMs = Math.max(...refusals.map(({ reason }) => (reason as RateLimiterRes).msBeforeNext));
  throw rateLimited(waitMs / 1000);
}

/** Spends one point for `key`, or throws the contract's 429 with `Retry-After`. */
export async function consumeOrThrow(limiter: RateLimiterAbstract, key: string): Promise<void> {
  await reserveAttempt([{ limiter, key }]);
}

/** Spends one point for `key` if one is left; false when the limit is used up. */
export async function spendIfAvailable(limiter: RateLimiterAbstract, key: string): Promise<boolean> {
  try {
    await retryingDeadlocks(() => limiter.consume(storedKey(key)));
    return true;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return false;
    throw rejection;
  }
}

/** Forgets `key`'s count (a proven password clears that client's failures). */
export async function forget(limiter: RateLimiterAbstract, key: string): Promise<void> {
  await limiter.delete(storedKey(key));
}
