import { DatabaseError, Op, UniqueConstraintError, type ModelStatic, type Sequelize } from 'sequelize';
import type { CodePurpose, CodeRecord, OneTimeCodeRepository } from '../domain/one-time-codes.js';
import type { OneTimeCodeRow } from './models.js';
import { currentTransaction } from './transactions.js';

export class SequelizeOneTimeCodeRepository implements OneTimeCodeRepository {
  constructor(
    private readonly model: ModelStatic<OneTimeCodeRow>,
    private readonly sequelize: Sequelize,
  ) {}

  async replace(record: { id: string; userId: string; purpose: CodePurpose; codeHash: string; expiresAt: Date; target: string | null }): Promise<void> {
    // Two concurrent requests may both delete and then race to insert; the unique index on
    // (user_id, purpose) lets one win, and the loser retries so the newest code is the live one.
    // On MySQL the delete's gap locks can also make concurrent issues for *different* users a
    // deadlock; InnoDB rolls the victim back whole, so it is retried the same way.
    // Inside a caller's unit of work this is a savepoint, so a retry undoes only this step.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.sequelize.transaction({ transaction: currentTransaction() }, async (transaction) => {
          // Delete by primary key after a plain read: a DELETE by (user_id, purpose) of a row that
          // does not exist takes a gap lock on MySQL, and two sign-ups' inserts then deadlock.
          const previous = await this.model.findOne({ where: { user_id: record.userId, purpose: record.purpose }, transaction });
          if (previous) await this.model.destroy({ where: { id: previous.id }, transaction });
          await this.model.create(
            { id: record.id, user_id: record.userId, purpose: record.purpose, code_hash: record.codeHash, expires_at: record.expiresAt, target: record.target },
            { transaction },
          );
        });
        return;
      } catch (error) {
        if (!(error instanceof UniqueConstraintError || isDeadlock(error)) || attempt >= 3) throw error;
      }
    }
  }

  async find(userId: string, purpose: CodePurpose): Promise<CodeRecord | undefined> {
    const row = await this.model.findOne({ where: { user_id: userId, purpose } });
    if (!row) return undefined;
    return { id: row.id, codeHash: row.code_hash, attempts: row.attempts, expiresAt: row.expires_at, consumedAt: row.consumed_at ?? null, target: row.target ?? null };
  }

  async recordAttempt(id: string, max: number): Promise<boolean> {
    const [changed] = await this.model.update(
      { attempts: this.sequelize.literal('attempts + 1') },
      { where: { id, attempts: { [Op.lt]: max } } },
    );
    return changed === 1;
  }

  async consume(id: string): Promise<boolean> {
    const [changed] = await this.model.update({ consumed_at: new Date() }, { where: { id, consumed_at: null } });
    return changed === 1;
  }
}

function isDeadlock(error: unknown): boolean {
  return error instanceof DatabaseError && (error.parent as { code?: string }).code === 'ER_LOCK_DEADLOCK';
}
