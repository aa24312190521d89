import { randomUUID } from 'node:crypto';
import { Op, UniqueConstraintError, type ModelStatic, type Sequelize } from 'sequelize';
import { sha256Hex, type NewPasskeyCredential, type PasskeyCredential, type PasskeyCredentialRepository } from '../domain/passkeys.js';
import type { PasskeyCredentialRow } from './passkey-models.js';
import { currentTransaction } from './transactions.js';

export class SequelizePasskeyCredentialRepository implements PasskeyCredentialRepository {
  constructor(
    private readonly model: ModelStatic<PasskeyCredentialRow>,
    private readonly sequelize: Sequelize,
  ) {}

  async create(credential: NewPasskeyCredential): Promise<PasskeyCredential | undefined> {
    try {
      const row = await this.model.create({
        id: randomUUID(),
        user_id: credential.userId,
        credential_id: credential.credentialId,
        credential_id_hash: sha256Hex(credential.credentialId),
        public_key: Buffer.from(credential.publicKey),
        sign_count: credential.signCount,
        transports: credential.transports.join(','),
        name: credential.name,
      }, { transaction: currentTransaction() });
      return toCredential(row);
    } catch (error) {
      if (error instanceof UniqueConstraintError) return undefined;
      throw error;
    }
  }

  async findByCredentialId(credentialId: string): Promise<PasskeyCredential | undefined> {
    const row = await this.model.findOne({ where: { credential_id_hash: sha256Hex(credentialId) } });
    return row ? toCredential(row) : undefined;
  }

  async listForUser(userId: string): Promise<PasskeyCredential[]> {
    const rows = await this.model.findAll({ where: { user_id: userId }, order: [['created_at', 'ASC'], ['id', 'ASC']] });
    return rows.map(toCredential);
  }

  async advanceCounter(id: string, signCount: number): Promise<boolean> {
    const counterMoves = signCount === 0 ? { sign_count: 0 } : { sign_count: { [Op.lt]: signCount } };
    const [changed] = await this.model.update({ sign_count: signCount, last_used_at: new Date() }, { where: { id, ...counterMoves } });
    return changed === 1;
  }

  async recordCounterRegression(id: string): Promise<void> {
    await this.model.update({ counter_regressions: this.sequelize.literal('counter_regressions + 1') }, { where: { id } });
  }

  async delete(id: string, userId: string): Promise<boolean> {
    return (await this.model.destroy({ where: { id, user_id: userId }, transaction: currentTransaction() })) === 1;
  }

  async deleteAllForUser(userId: string): Promise<void> {
    await this.model.destroy({ where: { user_id: userId }, transaction: currentTransaction() });
  }
}

function toCredential(row: PasskeyCredentialRow): PasskeyCredential {
  return {
    id: row.id,
    userId: row.user_id,
    credentialId: row.credential_id,
    publicKey: new Uint8Array(row.public_key),
    signCount: Number(row.sign_count),
    counterRegressions: row.counter_regressions,
    transports: row.transports.split(',').filter(Boolean),
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at ?? null,
  };
}
