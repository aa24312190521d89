import { Op, QueryTypes, UniqueConstraintError, type ModelStatic, type Sequelize, type Transaction } from 'sequelize';
import { withTransaction } from '@merchant-platform/common/db/transaction-scope';
import type { AcceptOutcome, Invitation, InvitationRepository, InviteOutcome } from '../domain/invitation.js';
import type { Membership } from '../domain/membership.js';
import { invitationModel, type InvitationRow } from './invitation-model.js';
import { membershipModel, type MembershipRow } from './membership-model.js';

/** Still open at `now`: neither accepted nor revoked, and not expired. */
const pendingAt = (now: Date) => ({ accepted_at: null, revoked_at: null, expires_at: { [Op.gt]: now } });

/** Thrown inside the accept transaction to roll the acceptance back when the membership exists. */
class AlreadyMember extends Error {}

export class SequelizeInvitationRepository implements InvitationRepository {
  private readonly model: ModelStatic<InvitationRow>;
  private readonly memberships: ModelStatic<MembershipRow>;

  constructor(private readonly sequelize: Sequelize) {
    this.model = invitationModel(sequelize);
    this.memberships = membershipModel(sequelize);
  }

  async insertIfFree(invitation: Invitation, now: Date): Promise<InviteOutcome> {
    return withTransaction(this.sequelize, async (transaction) => {
      await this.lockMerchant(invitation.merchant_id, transaction);
      const member = await this.memberships.findOne({
        where: { merchant_id: invitation.merchant_id, email: invitation.email },
        transaction,
      });
      if (member) return 'already_member';
      const pending = await this.model.findOne({
        where: { merchant_id: invitation.merchant_id, email: invitation.email, ...pendingAt(now) },
        transaction,
      });
      if (pending) return 'already_invited';
      await this.model.create(invitation, { transaction });
      return 'created';
    });
  }

  async discard(id: string): Promise<void> {
    await this.model.destroy({ where: { id } });
  }

  async listForMerchant(merchantId: string): Promise<Invitation[]> {
    const rows = await this.model.findAll({
      where: { merchant_id: merchantId },
      order: [
        ['created_at', 'ASC'],
        ['id', 'ASC'],
      ],
    });
    return rows.map(toInvitation);
  }

  async findByTokenHash(tokenHash: string): Promise<Invitation | undefined> {
    const row = await this.model.findOne({ where: { token_hash: tokenHash } });
    return row ? toInvitation(row) : undefined;
  }

  async revoke(merchantId: string, id: string, now: Date): Promise<boolean> {
    const row = await this.model.findOne({ where: { merchant_id: merchantId, id } });
    if (!row) return false;
    await this.model.update({ revoked_at: now }, { where: { id, accepted_at: null, revoked_at: null } });
    return true;
  }

  async accept(invitation: Invitation, membership: Membership, now: Date, alongside: () => Promise<void>): Promise<AcceptOutcome> {
    try {
      // Made ambient so `alongside`'s event joins it. The use-case calls this outside any unit of
      // work, so the transaction is ours and AlreadyMember rolls the claim (and event) back.
      return await withTransaction(this.sequelize, async (transaction) => {
        const [claimed] = await this.model.update(
          { accepted_at: now, accepted_by: membership.user_id },
          { where: { id: invitation.id, ...pendingAt(now) }, transaction },
        );
        if (claimed !== 1) return 'gone';
        const existing = await this.memberships.findOne({
          where: { merchant_id: membership.merchant_id, user_id: membership.user_id },
          transaction,
        });
        if (existing) throw new AlreadyMember();
        await this.memberships.create(membership, { transaction });
        await alongside();
        return 'accepted';
      });
    } catch (error) {
      // Also the unique index's answer when the same user joins by two invitations at once.
      if (error instanceof AlreadyMember || error instanceof UniqueConstraintError) return 'already_member';
      throw error;
    }
  }

  /**
   * Invitations of one merchant queue here: MySQL locks the merchant's row; SQLite's transactions
   * are IMMEDIATE (database.ts), which already admits one writer at a time.
   */
  private async lockMerchant(merchantId: string, transaction: Transaction): Promise<void> {
    if (this.sequelize.getDialect() !== 'mysql') return;
    await this.sequelize.query('SELECT id FROM merchants WHERE id = ? FOR UPDATE', {
      replacements: [merchantId],
      type: QueryTypes.SELECT,
      transaction,
    });
  }
}

function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    merchant_id: row.merchant_id,
    email: row.email,
    role: row.role,
    token_hash: row.token_hash,
    invited_by: row.invited_by,
    created_at: row.created_at,
    expires_at: row.expires_at,
    accepted_at: row.accepted_at,
    revoked_at: row.revoked_at,
  };
}
