import { randomUUID } from 'node:crypto';
import { DataTypes, Op, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { ClaimOptions, MailOutbox, OutboxMail } from '../domain/mail-outbox.js';
import type { EmailTemplate, MailRequest } from '../domain/mailer.js';
import { currentTransaction } from './transactions.js';

interface OutboxRow extends Model {
  id: string;
  recipient: string;
  template: string;
  data: string;
  idempotency_key: string;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
}

/**
 * The relay's writes each run in a short transaction of their own: on SQLite that is a separate
 * connection whose BEGIN retries with back-off, where a write on the shared connection would
 * wait for the lock inside a libuv thread and starve the sign-ups holding it.
 */
export class SequelizeMailOutbox implements MailOutbox {
  private readonly model: ModelStatic<OutboxRow>;

  constructor(private readonly sequelize: Sequelize) {
    this.model = sequelize.define<OutboxRow>(
      'AuthMailOutbox',
      {
        id: { type: DataTypes.STRING(36), primaryKey: true },
        recipient: { type: DataTypes.STRING(254), allowNull: false },
        template: { type: DataTypes.STRING(50), allowNull: false },
        data: { type: DataTypes.TEXT, allowNull: false },
        idempotency_key: { type: DataTypes.STRING(200), allowNull: false },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        next_attempt_at: { type: DataTypes.DATE(3), allowNull: false },
        last_error: { type: DataTypes.STRING(500), allowNull: true },
        created_at: DataTypes.DATE(3),
      },
      { tableName: 'auth_mail_outbox', timestamps: true, createdAt: 'created_at', updatedAt: false },
    );
  }

  async add(mail: MailRequest): Promise<string> {
    const id = randomUUID();
    await this.model.create(
      { id, recipient: mail.to, template: mail.template, data: JSON.stringify(mail.data), idempotency_key: mail.idempotencyKey, next_attempt_at: new Date() },
      { transaction: currentTransaction() },
    );
    return id;
  }

  async claim(options: ClaimOptions): Promise<OutboxMail[]> {
    const now = new Date();
    return this.sequelize.transaction(async (transaction) => {
      const due = await this.model.findAll({
        where: {
          next_attempt_at: { [Op.lte]: now },
          ...(options.ids ? { id: options.ids } : {}),
          ...(options.queuedBefore ? { created_at: { [Op.lte]: options.queuedBefore } } : {}),
        },
        order: [['next_attempt_at', 'ASC']],
        limit: options.limit,
        transaction,
      });
      const claimed: OutboxMail[] = [];
      for (const row of due) {
        // Moving the row's time past now is the claim: of two relays, one update matches.
        const [changed] = await this.model.update(
          { next_attempt_at: new Date(now.getTime() + options.leaseMs) },
          { where: { id: row.id, next_attempt_at: { [Op.lte]: now } }, transaction },
        );
        if (changed === 1) claimed.push(toMail(row));
      }
      return claimed;
    });
  }

  async remove(id: string): Promise<void> {
    await this.sequelize.transaction((transaction) => this.model.destroy({ where: { id }, transaction }));
  }

  async retryAt(id: string, at: Date, error: string): Promise<void> {
    await this.sequelize.transaction((transaction) =>
      this.model.update(
        { next_attempt_at: at, last_error: error.slice(0, 500), attempts: this.sequelize.literal('attempts + 1') },
        { where: { id }, transaction },
      ),
    );
  }

  async backlog(): Promise<{ depth: number; oldestCreatedAt: Date | undefined }> {
    const depth = await this.model.count();
    const oldest = await this.model.min<Date | string | null, OutboxRow>('created_at');
    return { depth, oldestCreatedAt: oldest ? new Date(oldest) : undefined };
  }
}

function toMail(row: OutboxRow): OutboxMail {
  return {
    id: row.id,
    to: row.recipient,
    template: row.template as EmailTemplate,
    data: JSON.parse(row.data) as Record<string, string>,
    idempotencyKey: row.idempotency_key,
    attempts: row.attempts,
  };
}
