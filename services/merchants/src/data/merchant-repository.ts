import { randomUUID } from 'node:crypto';
import { Op, UniqueConstraintError, type InferAttributes, type ModelStatic, type Sequelize } from 'sequelize';
import { afterCursor, KEYSET_ORDER } from '@merchant-platform/common/db/keyset';
import { dateColumn, selectOneRow, type RawRow } from '@merchant-platform/common/db/raw-read';
import { currentTransaction, withTransaction } from '@merchant-platform/common/db/transaction-scope';
import type { MemberContact } from '../domain/membership.js';
import type { Merchant, MerchantProfileInput, MerchantRepository } from '../domain/merchant.js';
import { membershipModel, type MembershipRow } from './membership-model.js';
import { defineMerchantModel, type MerchantRow } from './merchant-model.js';

export class SequelizeMerchantRepository implements MerchantRepository {
  private readonly model: ModelStatic<MerchantRow>;
  private readonly memberships: ModelStatic<MembershipRow>;

  constructor(private readonly sequelize: Sequelize) {
    this.model = defineMerchantModel(sequelize);
    this.memberships = membershipModel(sequelize);
  }

  /** `/users/me` reads this on every call: outside a transaction it skips the model layer (raw-read.ts). */
  async findByUserId(userId: string): Promise<Merchant | undefined> {
    const transaction = currentTransaction();
    if (!transaction) {
      const row = await selectOneRow(this.sequelize, 'SELECT * FROM merchants WHERE user_id = ? LIMIT 1', [userId]);
      return row ? toMerchant(fromRawRow(row)) : undefined;
    }
    const row = await this.model.findOne({ where: { user_id: userId }, transaction });
    return row ? toMerchant(row) : undefined;
  }

  async findById(id: string): Promise<Merchant | undefined> {
    const row = await this.model.findByPk(id, { transaction: currentTransaction() });
    return row ? toMerchant(row) : undefined;
  }

  async findByIds(ids: string[]): Promise<Merchant[]> {
    if (ids.length === 0) return [];
    return (await this.model.findAll({ where: { id: { [Op.in]: ids } } })).map(toMerchant);
  }

  async insert(owner: MemberContact & { userId: string }, profile: MerchantProfileInput): Promise<Merchant | undefined> {
    try {
      return await withTransaction(this.sequelize, async (transaction) => {
        const row = await this.model.create({ id: randomUUID(), user_id: owner.userId, ...toColumns(profile) }, { transaction });
        await this.memberships.create(
          { merchant_id: row.id, user_id: owner.userId, email: owner.email, name: owner.name, role: 'owner', joined_at: row.created_at },
          { transaction },
        );
        return toMerchant(row);
      });
    } catch (error) {
      if (error instanceof UniqueConstraintError) return undefined;
      throw error;
    }
  }

  async updateForUser(userId: string, profile: MerchantProfileInput): Promise<Merchant | undefined> {
    const transaction = currentTransaction();
    const row = await this.model.findOne({ where: { user_id: userId }, transaction });
    if (!row) return undefined;
    await row.update(toColumns(profile), { transaction });
    return toMerchant(row);
  }

  async updateById(id: string, profile: MerchantProfileInput): Promise<Merchant | undefined> {
    const transaction = currentTransaction();
    const row = await this.model.findByPk(id, { transaction });
    if (!row) return undefined;
    await row.update(toColumns(profile), { transaction });
    return toMerchant(row);
  }

  async listPage(limit: number, after: { createdAt: Date; id: string } | undefined): Promise<Merchant[]> {
    const rows = await this.model.findAll({ where: afterCursor(after), order: KEYSET_ORDER, limit });
    return rows.map(toMerchant);
  }
}

function toColumns(profile: MerchantProfileInput) {
  return {
    business_name: profile.business_name,
    business_type: profile.business_type,
    phone: profile.phone,
    website: profile.website,
    address_line1: profile.address.line1,
    address_line2: profile.address.line2,
    address_city: profile.address.city,
    address_region: profile.address.region,
    address_postal_code: profile.address.postal_code,
    address_country: profile.address.country,
    currency: profile.currency,
  };
}

type MerchantColumns = InferAttributes<MerchantRow>;

/** A row read without the model: the same columns, its DATETIMEs as the driver gave them. */
const fromRawRow = (row: RawRow): MerchantColumns => ({
  ...(row as unknown as MerchantColumns),
  created_at: dateColumn(row.created_at),
  updated_at: dateColumn(row.updated_at),
});

function toMerchant(row: MerchantColumns): Merchant {
  return {
    id: row.id,
    user_id: row.user_id,
    business_name: row.business_name,
    business_type: row.business_type,
    phone: row.phone,
    website: row.website,
    address: {
      line1: row.address_line1,
      line2: row.address_line2,
      city: row.address_city,
      region: row.address_region,
      postal_code: row.address_postal_code,
      country: row.address_country,
    },
    currency: row.currency,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
