import { Op, type ModelStatic } from 'sequelize';
import type { TotpFactor, TotpFactorRepository } from '../domain/totp.js';
import type { TotpFactorRow } from './mfa-models.js';
import { currentTransaction } from './transactions.js';

export class SequelizeTotpFactorRepository implements TotpFactorRepository {
  constructor(private readonly model: ModelStatic<TotpFactorRow>) {}

  async create(factor: Pick<TotpFactor, 'id' | 'userId' | 'name' | 'sealedSecret'>): Promise<TotpFactor> {
    const row = await this.model.create({ id: factor.id, user_id: factor.userId, name: factor.name, secret_sealed: factor.sealedSecret });
    return toFactor(row);
  }

  async find(id: string, userId: string): Promise<TotpFactor | undefined> {
    const row = await this.model.findOne({ where: { id, user_id: userId } });
    return row ? toFactor(row) : undefined;
  }

  async listConfirmed(userId: string): Promise<TotpFactor[]> {
    const rows = await this.model.findAll({ where: { user_id: userId, confirmed_at: { [Op.ne]: null } }, order: [['created_at', 'ASC'], ['id', 'ASC']] });
    return rows.map(toFactor);
  }

  async acceptStep(id: string, step: number, confirming: boolean): Promise<boolean> {
    const now = new Date();
    // The conditional UPDATE is the single-use guarantee: of concurrent callers, one changes the row.
    const [changed] = await this.model.update(
      { last_step: step, last_used_at: now, ...(confirming ? { confirmed_at: now } : {}) },
      { where: { id, last_step: { [Op.lt]: step }, confirmed_at: confirming ? null : { [Op.ne]: null } }, transaction: currentTransaction() },
    );
    return changed === 1;
  }

  async deleteUnconfirmed(userId: string): Promise<void> {
    await this.model.destroy({ where: { user_id: userId, confirmed_at: null } });
  }

  async delete(id: string, userId: string): Promise<boolean> {
    return (await this.model.destroy({ where: { id, user_id: userId }, transaction: currentTransaction() })) === 1;
  }

  async deleteAllForUser(userId: string): Promise<void> {
    await this.model.destroy({ where: { user_id: userId }, transaction: currentTransaction() });
  }
}

function toFactor(row: TotpFactorRow): TotpFactor {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    sealedSecret: row.secret_sealed,
    confirmedAt: row.confirmed_at ?? null,
    lastStep: Number(row.last_step ?? 0),
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at ?? null,
  };
}
