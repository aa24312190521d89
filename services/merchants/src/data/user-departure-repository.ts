import { Op, literal, type ModelStatic, type Sequelize, type Transaction } from 'sequelize';
import type { Membership } from '../domain/membership.js';
import type { ErasureResult, UserDepartureRepository } from '../domain/user-departure.js';
import { apiKeyModel } from './api-key-model.js';
import { withTransaction } from '@merchant-platform/common/db/transaction-scope';
import { invitationModel } from './invitation-model.js';
import { departingAmong, departureModel, LATEST_COMMITTED, type DepartureRow } from './departure-model.js';
import { membershipModel, type MembershipRow } from './membership-model.js';

export class SequelizeUserDepartureRepository implements UserDepartureRepository {
  private readonly memberships: ModelStatic<MembershipRow>;
  private readonly departures: ModelStatic<DepartureRow>;

  constructor(private readonly sequelize: Sequelize) {
    this.memberships = membershipModel(sequelize);
    this.departures = departureModel(sequelize);
  }

  async departLocked(userId: string, decide: (teams: Membership[][]) => void): Promise<void> {
    await this.sequelize.transaction(LATEST_COMMITTED, async (transaction) => {
      const rows = await this.lockTeamsOf(userId, transaction);
      // Read after the locks are held (and, by LATEST_COMMITTED, afresh), so a departure committed by the transaction we waited for is seen.
      const departing = await departingAmong(this.sequelize, rows.map((r) => r.user_id), transaction);
      departing.delete(userId);
      decide(groupByMerchant(rows.filter((r) => !departing.has(r.user_id))));
      await this.departures.bulkCreate([{ user_id: userId, created_at: new Date() }], { ignoreDuplicates: true, transaction });
    });
  }

  async cancel(userId: string): Promise<void> {
    await this.departures.destroy({ where: { user_id: userId } });
  }

  /** Joins the user.deleted consumer's transaction, so the erasure and the event's receipt commit together. */
  async erase(userId: string): Promise<ErasureResult> {
    return withTransaction(this.sequelize, async (transaction) => {
      const teams = groupByMerchant(await this.lockTeamsOf(userId, transaction));
      const removedMemberships = await this.memberships.destroy({ where: { user_id: userId }, transaction });
      const deletedMerchantIds = teams.filter((members) => members.every((m) => m.user_id === userId)).map((m) => m[0]!.merchant_id);
      if (deletedMerchantIds.length > 0) {
        // Explicitly, not by the foreign keys' cascade: SQLite enforces foreign keys only when asked to.
        await apiKeyModel(this.sequelize).destroy({ where: { merchant_id: { [Op.in]: deletedMerchantIds } }, transaction });
        await invitationModel(this.sequelize).destroy({ where: { merchant_id: { [Op.in]: deletedMerchantIds } }, transaction });
        await this.sequelize.query(`DELETE FROM merchants WHERE id IN (${deletedMerchantIds.map(() => '?').join(', ')})`, {
          replacements: deletedMerchantIds,
          transaction,
        });
      }
      await this.departures.destroy({ where: { user_id: userId }, transaction });
      return { removedMemberships, deletedMerchantIds };
    }, LATEST_COMMITTED);
  }

  /** Every membership of every merchant the user belongs to, locked in one order. */
  private async lockTeamsOf(userId: string, transaction: Transaction): Promise<Membership[]> {
    const teamsOfUser = literal(`(SELECT merchant_id FROM merchant_memberships WHERE user_id = ${this.sequelize.escape(userId)})`);
    const rows = await this.memberships.findAll({
      where: { merchant_id: { [Op.in]: teamsOfUser } },
      order: [
        ['merchant_id', 'ASC'],
        ['user_id', 'ASC'],
      ],
      lock: true,
      transaction,
    });
    return rows.map((row) => row.get({ plain: true }) as Membership);
  }
}

function groupByMerchant(rows: Membership[]): Membership[][] {
  const teams = new Map<string, Membership[]>();
  for (const row of rows) teams.set(row.merchant_id, [...(teams.get(row.merchant_id) ?? []), row]);
  return [...teams.values()];
}
