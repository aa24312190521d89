import { Op, type ModelStatic, type Sequelize } from 'sequelize';
import type { ApiKey, ApiKeyRepository } from '../domain/api-key.js';
import type { Scope } from '../domain/roles.js';
import { apiKeyModel, type ApiKeyRecord, type ApiKeyRow } from './api-key-model.js';
import { currentTransaction, withTransaction } from '@merchant-platform/common/db/transaction-scope';

/** Not ended by `now`: never revoked, or a rolled key still in its grace. */
const liveAt = (now: Date) => ({ [Op.or]: [{ revoked_at: null }, { revoked_at: { [Op.gt]: now } }] });

export class SequelizeApiKeyRepository implements ApiKeyRepository {
  private readonly model: ModelStatic<ApiKeyRow>;

  constructor(private readonly sequelize: Sequelize) {
    this.model = apiKeyModel(sequelize);
  }

  async insert(key: ApiKey): Promise<void> {
    await this.model.create(toRecord(key), { transaction: currentTransaction() });
  }

  async findByHash(secretHash: string): Promise<ApiKey | undefined> {
    const row = await this.model.findOne({ where: { secret_hash: secretHash } });
    return row ? toApiKey(row) : undefined;
  }

  async find(merchantId: string, keyId: string): Promise<ApiKey | undefined> {
    const row = await this.model.findOne({ where: { merchant_id: merchantId, id: keyId } });
    return row ? toApiKey(row) : undefined;
  }

  async listForMerchant(merchantId: string): Promise<ApiKey[]> {
    const rows = await this.model.findAll({
      where: { merchant_id: merchantId },
      order: [
        ['created_at', 'ASC'],
        ['id', 'ASC'],
      ],
    });
    return rows.map(toApiKey);
  }

  async roll(old: ApiKey, successor: ApiKey, oldEndsAt: Date, now: Date): Promise<boolean> {
    return withTransaction(this.sequelize, async (transaction) => {
      const [claimed] = await this.model.update(
        { replaced_by: successor.id, revoked_at: oldEndsAt },
        { where: { id: old.id, replaced_by: null, ...liveAt(now) }, transaction },
      );
      if (claimed !== 1) return false;
      await this.model.create(toRecord(successor), { transaction });
      return true;
    });
  }

  async revokeWithPredecessors(key: ApiKey, now: Date): Promise<void> {
    await this.model.update(
      { revoked_at: now },
      { where: { family_id: key.family_id, generation: { [Op.lte]: key.generation }, ...liveAt(now) }, transaction: currentTransaction() },
    );
  }

  async touch(keyId: string, now: Date, since: Date): Promise<void> {
    await this.model.update(
      { last_used_at: now },
      { where: { id: keyId, [Op.or]: [{ last_used_at: null }, { last_used_at: { [Op.lt]: since } }] } },
    );
  }
}

const toRecord = (key: ApiKey): ApiKeyRecord => ({ ...key, scopes: key.scopes.join(' ') });

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    merchant_id: row.merchant_id,
    family_id: row.family_id,
    generation: row.generation,
    name: row.name,
    prefix: row.prefix,
    secret_hash: row.secret_hash,
    scopes: row.scopes.split(' ') as Scope[],
    created_at: row.created_at,
    expires_at: row.expires_at,
    last_used_at: row.last_used_at,
    revoked_at: row.revoked_at,
    replaced_by: row.replaced_by,
  };
}
