import { randomUUID } from 'node:crypto';
import type { ModelStatic, Sequelize } from 'sequelize';
import type { RecoveryCodeRepository } from '../domain/recovery-codes.js';
import type { RecoveryCodeRow } from './mfa-models.js';
import { currentTransaction } from './transactions.js';

export class SequelizeRecoveryCodeRepository implements RecoveryCodeRepository {
  constructor(
    private readonly model: ModelStatic<RecoveryCodeRow>,
    private readonly sequelize: Sequelize,
  ) {}

  async replaceSet(userId: string, codeHashes: string[]): Promise<void> {
    // One transaction: nobody ever holds a mix of the old and the new set.
    await this.sequelize.transaction(async (transaction) => {
      await this.model.destroy({ where: { user_id: userId }, transaction });
      await this.model.bulkCreate(
        codeHashes.map((codeHash) => ({ id: randomUUID(), user_id: userId, code_hash: codeHash })),
        { transaction },
      );
    });
  }

  async use(userId: string, codeHash: string): Promise<boolean> {
    const [changed] = await this.model.update(
      { used_at: new Date() },
      { where: { user_id: userId, code_hash: codeHash, used_at: null }, transaction: currentTransaction() },
    );
    return changed === 1;
  }

  async deleteAllForUser(userId: string): Promise<void> {
    await this.model.destroy({ where: { user_id: userId }, transaction: currentTransaction() });
  }
}
