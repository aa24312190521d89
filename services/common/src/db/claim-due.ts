import { randomUUID } from 'node:crypto';
import { Op, QueryTypes, Transaction, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { Dialect } from './database.js';

export interface DueRows<M extends Model> {
  sequelize: Sequelize;
  dialect: Dialect;
  model: ModelStatic<M>;
  /** The model's table; written into the one raw statement, so a constant from code, never input. */
  table: string;
  /** Rows in this status (all rows when absent: a table that deletes what is done) whose `next_attempt_at` has come are due. */
  status?: string | undefined;
  now: Date;
  limit: number;
}

/** Rows one worker holds until `leaseExpiresAt`; only the holder of `claimToken` may finish them. */
export interface Lease<M extends Model> {
  rows: M[];
  claimToken: string;
  leaseExpiresAt: Date;
}

/**
 * Leases due rows of an outbox table (its columns `claim_token`, `next_attempt_at` and `attempts`)
 * to one worker: selects them, stamps a fresh claim token, moves `next_attempt_at` to the end of
 * the lease (out of the due set, and back in should the worker die) and counts the attempt, all
 * in one transaction, then reads back the rows it holds.
 *
 * MySQL: `SELECT ... FOR UPDATE SKIP LOCKED` picks rows no other replica is claiming right now,
 * and the claim commits before the locks are released, so they stay ours. READ COMMITTED: no gap
 * locks, so claims never hold up inserts from the HTTP path. SQLite runs the same steps in an
 * IMMEDIATE transaction, which serialises claimers on the write lock.
 */
export async function leaseDueRows<M extends Model>(due: DueRows<M>, leaseMs: number): Promise<Lease<M>> {
  const claimToken = randomUUID();
  const leaseExpiresAt = new Date(due.now.getTime() + leaseMs);
  const options =
    due.dialect === 'mysql' ? { isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED } : { type: Transaction.TYPES.IMMEDIATE };
  const rows = await due.sequelize.transaction(options, async (transaction) => {
    const ids = await selectDueIds(due, transaction);
    if (ids.length === 0) return [];
    await due.model.update(
      { claim_token: claimToken, next_attempt_at: leaseExpiresAt, attempts: due.sequelize.literal('attempts + 1') } as never,
      { where: { id: ids } as never, transaction },
    );
    return due.model.findAll({ where: { id: ids, claim_token: claimToken } as never, transaction });
  });
  return { rows, claimToken, leaseExpiresAt };
}

async function selectDueIds<M extends Model>(due: DueRows<M>, transaction: Transaction): Promise<string[]> {
  if (due.dialect === 'mysql') {
    // Sequelize's MySQL dialect cannot express SKIP LOCKED, hence the one raw statement.
    const byStatus = due.status === undefined ? [] : [due.status];
    const rows = await due.sequelize.query<{ id: string }>(
      `SELECT id FROM ${due.table} WHERE ${byStatus.length ? 'status = ? AND ' : ''}next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED`,
      // Formatted here: a Date replacement would lose its milliseconds and skip rows due this second.
      {
        replacements: [...byStatus, due.now.toISOString().replace('T', ' ').replace('Z', ''), due.limit],
        type: QueryTypes.SELECT,
        transaction,
      },
    );
    return rows.map((row) => row.id);
  }
  const rows = await due.model.findAll({
    attributes: ['id'],
    where: { ...(due.status === undefined ? {} : { status: due.status }), next_attempt_at: { [Op.lte]: due.now } } as never,
    order: [
      ['next_attempt_at', 'ASC'],
      ['id', 'ASC'],
    ],
    limit: due.limit,
    transaction,
  });
  return rows.map((row) => String(row.get('id')));
}
