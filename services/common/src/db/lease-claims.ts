import { randomUUID } from 'node:crypto';
import { Op, QueryTypes, Transaction, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { Dialect } from './database.js';

/** An outbox table whose rows are claimed for a lease: `next_attempt_at`, `claim_token`, `attempts`. */
export interface LeasedTable<M extends Model> {
  sequelize: Sequelize;
  dialect: Dialect;
  model: ModelStatic<M>;
  /** Extra equality conditions a due row meets (`status = 'queued'`); column names are ours, values bound. */
  dueWhen?: Record<string, string>;
}

export interface Claim<M> {
  rows: M[];
  claimToken: string;
  leaseExpiresAt: Date;
}

/**
 * Claims up to `limit` due rows for `leaseMs`. MySQL: `SELECT ... FOR UPDATE SKIP LOCKED` picks
 * rows no other replica is claiming right now, and the same transaction moves them out of the
 * due set (next_attempt_at = end of the lease) before committing, so they stay ours after the
 * locks are released. SQLite runs the same statements in an IMMEDIATE transaction, which
 * serialises claimers on the write lock. Only the holder of `claimToken` may finish a row.
 */
export async function claimDueRows<M extends Model>(table: LeasedTable<M>, now: Date, limit: number, leaseMs: number): Promise<Claim<M>> {
  const claimToken = randomUUID();
  const leaseExpiresAt = new Date(now.getTime() + leaseMs);
  // MySQL, READ COMMITTED: no gap locks, so claims never hold up inserts from the HTTP path.
  const options =
    table.dialect === 'mysql' ? { isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED } : { type: Transaction.TYPES.IMMEDIATE };
  const rows = await table.sequelize.transaction(options, async (transaction) => {
    const ids = await selectDue(table, now, limit, transaction);
    if (ids.length === 0) return [];
    const where = { id: ids } as never;
    await table.model.update(
      { claim_token: claimToken, next_attempt_at: leaseExpiresAt, attempts: table.sequelize.literal('attempts + 1') } as never,
      { where, transaction },
    );
    return table.model.findAll({ where: { id: ids, claim_token: claimToken } as never, transaction });
  });
  return { rows, claimToken, leaseExpiresAt };
}

async function selectDue<M extends Model>(table: LeasedTable<M>, now: Date, limit: number, transaction: Transaction): Promise<string[]> {
  const conditions = Object.entries(table.dueWhen ?? {});
  if (table.dialect === 'mysql') {
    // Sequelize's MySQL dialect cannot express SKIP LOCKED, hence the one raw statement.
    const extra = conditions.map(([column]) => ` AND \`${column}\` = ?`).join('');
    const rows = await table.sequelize.query<{ id: string }>(
      `SELECT id FROM \`${table.model.getTableName() as string}\` WHERE next_attempt_at <= ?${extra} ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED`,
      {
        // Formatted here: a Date replacement would lose its milliseconds and skip rows due this second.
        replacements: [now.toISOString().replace('T', ' ').replace('Z', ''), ...conditions.map(([, value]) => value), limit],
        type: QueryTypes.SELECT,
        transaction,
      },
    );
    return rows.map((row) => row.id);
  }
  const rows = await table.model.findAll({
    attributes: ['id'],
    where: { next_attempt_at: { [Op.lte]: now }, ...Object.fromEntries(conditions) } as never,
    order: [
      ['next_attempt_at', 'ASC'],
      ['id', 'ASC'],
    ],
    limit,
    transaction,
  });
  return rows.map((row) => row.get('id') as string);
}
