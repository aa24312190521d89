import { randomUUID } from 'node:crypto';
import { ConnectionError, UniqueConstraintError, type InferAttributes, type Sequelize } from 'sequelize';
import { leaseDueRows } from '@merchant-platform/common/db/claim-due';
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

  /** Due rows, leased to this dispatcher (next_attempt_at = end of the lease) under a fresh claim token. */
  async claimDue(now: Date, limit: number, leaseMs: number): Promise<ClaimedEmail[]> {
    const due = { sequelize: this.sequelize, dialect: this.dialect, model: this.model, table: 'email_outbox', status: 'queued' satisfies EmailStatus, now, limit };
    const { rows, claimToken, leaseExpiresAt } = await leaseDueRows(due, leaseMs);
    return rows.map((row) => ({ email: toEmail(row), claimToken, leaseExpiresAt }));
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
