import { QueryTypes, type ModelStatic, type Sequelize } from 'sequelize';
import type { MemberContact, Membership, MembershipChange, MembershipRepository } from '../domain/membership.js';
import { departingAmong, LATEST_COMMITTED } from './departure-model.js';
import { membershipModel, type MembershipRow } from './membership-model.js';
import { currentTransaction, withTransaction } from '@merchant-platform/common/db/transaction-scope';

const MEMBER_ORDER: [string, string][] = [
  ['joined_at', 'ASC'],
  ['user_id', 'ASC'],
];

export class SequelizeMembershipRepository implements MembershipRepository {
  private readonly model: ModelStatic<MembershipRow>;

  constructor(private readonly sequelize: Sequelize) {
    this.model = membershipModel(sequelize);
  }

  async findAccess(merchantId: string, userId: string): Promise<{ membership: Membership; requireMfa: boolean } | undefined> {
    const [row, [settings]] = await Promise.all([
      this.model.findOne({ where: { merchant_id: merchantId, user_id: userId } }),
      this.sequelize.query<{ require_mfa: number | boolean }>('SELECT require_mfa FROM merchants WHERE id = ?', {
        replacements: [merchantId],
        type: QueryTypes.SELECT,
      }),
    ]);
    if (!row || !settings) return undefined;
    // SQLite and MySQL both answer a BOOLEAN column as 0 or 1 in a raw query.
    return { membership: toMembership(row), requireMfa: Boolean(settings.require_mfa) };
  }

  async listForMerchant(merchantId: string): Promise<Membership[]> {
    return (await this.model.findAll({ where: { merchant_id: merchantId }, order: MEMBER_ORDER })).map(toMembership);
  }

  async listForUser(userId: string): Promise<Membership[]> {
    return (await this.model.findAll({ where: { user_id: userId }, order: MEMBER_ORDER })).map(toMembership);
  }

  async refreshContact(merchantId: string, userId: string, contact: MemberContact): Promise<void> {
    await this.model.update({ email: contact.email, name: contact.name }, { where: { merchant_id: merchantId, user_id: userId } });
  }

  async changeLocked(merchantId: string, decide: (members: Membership[]) => MembershipChange): Promise<Membership | undefined> {
    return withTransaction(this.sequelize, async (transaction) => {
      // Every row of the merchant, in index order, so two changes queue instead of deadlocking.
      const rows = await this.model.findAll({ where: { merchant_id: merchantId }, order: [['user_id', 'ASC']], lock: true, transaction });
      // A member whose account deletion is admitted is on the way out: not an owner to count on, nor one to change.
      const departing = await departingAmong(this.sequelize, rows.map((r) => r.user_id), transaction);
      const members = rows.map(toMembership).filter((m) => !departing.has(m.user_id));
      const change = decide(members);
      const where = { merchant_id: merchantId, user_id: change.userId };
      if (change.kind === 'remove') {
        await this.model.destroy({ where, transaction });
        return undefined;
      }
      await this.model.update({ role: change.role }, { where, transaction });
      return { ...members.find((m) => m.user_id === change.userId)!, role: change.role };
    }, LATEST_COMMITTED);
  }

  /** A user's own name or address changed in auth: every membership's copy follows (the events consumer). */
  async updateContactForUser(userId: string, contact: Partial<MemberContact>): Promise<void> {
    await this.model.update(contact, { where: { user_id: userId }, transaction: currentTransaction() });
  }

  async removeAllForUser(userId: string): Promise<void> {
    await this.model.destroy({ where: { user_id: userId }, transaction: currentTransaction() });
  }

  async setRequireMfa(merchantId: string, requireMfa: boolean): Promise<void> {
    await this.sequelize.query('UPDATE merchants SET require_mfa = ? WHERE id = ?', {
      replacements: [requireMfa, merchantId],
      transaction: currentTransaction(),
    });
  }
}

function toMembership(row: MembershipRow): Membership {
  return {
    merchant_id: row.merchant_id,
    user_id: row.user_id,
    email: row.email,
    name: row.name,
    role: row.role,
    joined_at: row.joined_at,
  };
}
