import { randomUUID } from 'node:crypto';
import { Op, type ModelStatic, type WhereOptions } from 'sequelize';
import type { AuthMethod } from '@merchant-platform/common/tokens/access-token';
import {
  FIRST_FACTOR_AMR,
  type LiveSession,
  type NewRefreshToken,
  type RefreshTokenRecord,
  type RefreshTokenRepository,
  type SessionFacts,
} from '../domain/refresh-token.js';
import type { RefreshTokenRow } from './models.js';
import { currentTransaction } from './transactions.js';

export class SequelizeRefreshTokenRepository implements RefreshTokenRepository {
  constructor(private readonly model: ModelStatic<RefreshTokenRow>) {}

  async create(record: NewRefreshToken): Promise<void> {
    await this.model.create(
      {
      id: randomUUID(),
      user_id: record.userId,
      family_id: record.familyId,
      token_hash: record.tokenHash,
      auth_method: record.authMethod,
      expires_at: record.expiresAt,
      amr: record.session.amr.join(' '),
      auth_time: record.session.authTime,
      session_started_at: record.session.startedAt,
      ip: record.session.ip,
      user_agent: record.session.userAgent,
      },
      // A new session commits with its user.signed_in event.
      { transaction: currentTransaction() },
    );
  }

  async findByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const row = await this.model.findOne({ where: { token_hash: tokenHash } });
    if (!row) return undefined;
    return {
      id: row.id,
      userId: row.user_id,
      familyId: row.family_id,
      authMethod: row.auth_method as AuthMethod,
      expiresAt: row.expires_at,
      usedAt: row.used_at ?? null,
      revokedAt: row.revoked_at ?? null,
      session: sessionOf(row),
    };
  }

  async markUsed(id: string): Promise<boolean> {
    // A conditional UPDATE is atomic on both databases: exactly one caller sees a changed row.
    const [changed] = await this.model.update({ used_at: new Date() }, { where: { id, used_at: null, revoked_at: null } });
    return changed === 1;
  }

  async isRevoked(id: string): Promise<boolean> {
    const row = await this.model.findByPk(id, { attributes: ['revoked_at'] });
    return !row || row.revoked_at !== null;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.model.update({ revoked_at: new Date() }, { where: { family_id: familyId, revoked_at: null } });
  }

  async revokeAllForUser(userId: string): Promise<void> {
    await this.model.update({ revoked_at: new Date() }, { where: { user_id: userId, revoked_at: null, expires_at: { [Op.gt]: new Date() } } });
  }

  async listLive(userId: string): Promise<LiveSession[]> {
    const rows = await this.model.findAll({ where: live(userId), order: [['created_at', 'DESC']] });
    return rows.map((row) => ({ familyId: row.family_id, session: sessionOf(row), lastUsedAt: row.created_at }));
  }

  async revokeLiveSession(userId: string, familyId: string): Promise<boolean> {
    // Every unrevoked token of the family, used ones included: a refresh that used the live token
    // a moment ago still finds its session ended (token-issuer.ts checks after issuing).
    const [changed] = await this.model.update(
      { revoked_at: new Date() },
      { where: { user_id: userId, family_id: familyId, revoked_at: null, expires_at: { [Op.gt]: new Date() } }, transaction: currentTransaction() },
    );
    return changed > 0;
  }

  async revokeOtherFamilies(userId: string, keepFamilyId: string, issuedSince: Date): Promise<string[]> {
    const rows = await this.model.findAll({
      attributes: ['family_id'],
      where: {
        user_id: userId,
        family_id: { [Op.ne]: keepFamilyId },
        [Op.or]: [{ revoked_at: null }, { created_at: { [Op.gt]: issuedSince } }],
      },
    });
    const families = [...new Set(rows.map((row) => row.family_id))];
    if (families.length > 0) await this.model.update({ revoked_at: new Date() }, { where: { family_id: families, revoked_at: null } });
    return families;
  }
}

function live(userId: string): WhereOptions<RefreshTokenRow> {
  return { user_id: userId, used_at: null, revoked_at: null, expires_at: { [Op.gt]: new Date() } };
}

/** Rows written by the release before sessions have no session columns: the first factor and the row's own time stand in. */
function sessionOf(row: RefreshTokenRow): SessionFacts {
  return {
    amr: row.amr ? row.amr.split(' ') : [...FIRST_FACTOR_AMR[row.auth_method as AuthMethod]],
    authTime: row.auth_time ?? row.created_at,
    startedAt: row.session_started_at ?? row.created_at,
    ip: row.ip,
    userAgent: row.user_agent,
  };
}
