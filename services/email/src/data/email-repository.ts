import { randomUUID } from 'node:crypto';
import { ConnectionError, Op, QueryTypes, Transaction, UniqueConstraintError, type InferAttributes, type Sequelize } from 'sequelize';
import type { Dialect } from '@merchant-platform/common/db/database';
import { unavailable } from '@merchant-platform/common/errors';
import type { ClaimedEmail, EmailRecord, EmailStatus, NewEmail, OutboxRepository } from '../domain/email.js';
import { defineEmailModel, type EmailRow } from './email-model.js';

export class SequelizeOutboxRepository implements OutboxRepository {
  private readonly model: typeof EmailRow;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly dialect: Dialect,
  ) {
    this.model = defineEmailModel(sequelize);
  }

  async insert(email: NewEmail): Promise<EmailRecord | undefined> {
    const now = new Date();
    try {
      const row = await this.model.create({
        id: randomUUID(),
        caller: email.caller,
        idempotency_key: email.idempotency_key,
        template: email.template,
        to: email.to,
        data: JSON.stringify(email.data),
        status: 'queued',
        attempts: 0,
        next_attempt_at: now,
      });
      return toEmail(row);
    } catch (error) {
      if (error instanceof UniqueConstraintError) return undefined;
      throw asUnavailable(error);
    }
  }

  async findById(id: string): Promise<EmailRecord | undefined> {
    const row = await this.model.findByPk(id).catch((e: unknown) => Promise.reject(asUnavailable(e)));
    return row ? toEmail(row) : undefined;
  }

  async findByIdempotencyKey(caller: string, key: string): Promise<EmailRecord | undefined> {
    const row = await this.model
      .findOne({ where: { caller, idempotency_key: key } })
      .catch((e: unknown) => Promise.reject(asUnavailable(e)));
    return row ? toEmail(row) : undefined;
  }

  /**
   * MySQL: `SELECT ... FOR UPDATE SKIP LOCKED` picks rows no other replica is claiming right
   * now, and the same transaction moves them out of the due set (next_attempt_at = end of the
   * lease) before committing, so they stay ours after the locks are released. SQLite runs the
   * same statements in an IMMEDIATE transaction, which serialises claimers on the write lock.
   */
  async claimDue(now: Date, limit: number, leaseMs: number): Promise<ClaimedEmail[]> {
    const claimToken = randomUUID();
    const leaseExpiresAt = new Date(now.getTime() + leaseMs);
    // MySQL, READ COMMITTED: no gap locks, so claims never hold up inserts from the HTTP path.
    // SQLite, IMMEDIATE: the write lock is taken up front, so two claimers queue instead of racing.
    const options =
      this.dialect === 'mysql'
        ? { isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }
        : { type: Transaction.TYPES.IMMEDIATE };
    const rows = await this.sequelize.transaction(options, async (transaction) => {
      const due = await this.selectDue(now, limit, transaction);
      if (due.length === 0) return [];
      const ids = due.map((row) => row.id);
      await this.model.update(
        { claim_token: claimToken, next_attempt_at: leaseExpiresAt, attempts: this.sequelize.literal('attempts + 1') },
        { where: { id: ids }, transaction },
      );
      return this.model.findAll({ where: { id: ids, claim_token: claimToken }, transaction });
    });
    return rows.map((row) => ({ email: toEmail(row), claimToken, leaseExpiresAt }));
  }

  private async selectDue(now: Date, limit: number, transaction: Transaction): Promise<{ id: string }[]> {
    if (this.dialect === 'mysql') {
      // Sequelize's MySQL dialect cannot express SKIP LOCKED, hence the one raw statement.
      return this.sequelize.query<{ id: string }>(
        "SELECT id FROM email_outbox WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED",
        // Formatted here: a Date replacement would lose its milliseconds and skip rows due this second.
        { replacements: [now.toISOString().replace('T', ' ').replace('Z', ''), limit], type: QueryTypes.SELECT, transaction },
      );
    }
    return this.model.findAll({
      attributes: ['id'],
      where: { status: 'queued' satisfies EmailStatus, next_attempt_at: { [Op.lte]: now } },
      order: [
        ['next_attempt_at', 'ASC'],
        ['id', 'ASC'],
      ],
      limit,
      transaction,
    });
  }

  async markSendAttempted(claim: ClaimedEmail, at: Date): Promise<boolean> {
    return this.updateClaimed(claim, { send_attempted_at: at });
  }

  async markSent(claim: ClaimedEmail, messageId: string, at: Date): Promise<boolean> {
    return this.updateClaimed(claim, { status: 'sent', message_id: messageId, sent_at: at, data: null, claim_token: null });
  }

  async markFailed(claim: ClaimedEmail, error: string): Promise<boolean> {
    return this.updateClaimed(claim, { status: 'failed', last_error: error, data: null, claim_token: null });
  }

  async scheduleRetry(claim: ClaimedEmail, error: string, nextAttemptAt: Date, delivered: 'no' | 'unknown'): Promise<boolean> {
    return this.updateClaimed(claim, {
      last_error: error,
      next_attempt_at: nextAttemptAt,
      claim_token: null,
      ...(delivered === 'no' ? { send_attempted_at: null } : {}),
    });
  }

  async queueStats(): Promise<{ depth: number; oldestCreatedAt: Date | null }> {
    const where = { status: 'queued' satisfies EmailStatus };
    const [depth, oldest] = await Promise.all([
      this.model.count({ where }),
      this.model.findOne({ attributes: ['created_at'], where, order: [['created_at', 'ASC']] }),
    ]);
    return { depth, oldestCreatedAt: oldest ? oldest.created_at : null };
  }

  /** Only the holder of the current claim may finish a row: a stale dispatcher changes nothing. */
  private async updateClaimed(claim: ClaimedEmail, values: Partial<InferAttributes<EmailRow>>): Promise<boolean> {
    const [count] = await this.model.update(values, {
      where: { id: claim.email.id, claim_token: claim.claimToken, status: 'queued' },
    });
    return count === 1;
  }
}

function asUnavailable(error: unknown): unknown {
  return error instanceof ConnectionError ? unavailable('The e-mail outbox is unavailable; try again shortly.') : error;
}

export function toEmail(row: EmailRow): EmailRecord {
  return {
    id: row.id,
    caller: row.caller,
    idempotency_key: row.idempotency_key,
    template: row.template,
    to: row.to,
    data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
    status: row.status as EmailStatus,
    attempts: row.attempts,
    send_attempted_at: row.send_attempted_at,
    message_id: row.message_id,
    last_error: row.last_error,
    next_attempt_at: row.next_attempt_at,
    created_at: row.created_at,
    sent_at: row.sent_at,
  };
}
