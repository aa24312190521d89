import { randomUUID } from 'node:crypto';
import { Op, type ModelStatic } from 'sequelize';
import type { AuthMethod } from '@merchant-platform/common/tokens/access-token';
import type { RefreshTokenRecord, RefreshTokenRepository } from '../domain/refresh-token.js';
import type { RefreshTokenRow } from './models.js';

export class SequelizeRefreshTokenRepository implements RefreshTokenRepository {
  constructor(private readonly model: ModelStatic<RefreshTokenRow>) {}

  async create(record: { userId: string; familyId: string; tokenHash: string; authMethod: AuthMethod; expiresAt: Date }): Promise<void> {
    await this.model.create({
      id: randomUUID(),
      user_id: record.userId,
      family_id: record.familyId,
      token_hash: record.tokenHash,
      auth_method: record.authMethod,
      expires_at: record.expiresAt,
    });
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
    };
  }

  async markUsed(id: string): Promise<boolean> {
    // A conditional UPDATE is atomic on both databases: exactly one caller sees a changed row.
    const [changed] = await this.model.update({ used_at: new Date() }, { where: { id, used_at: null, revoked_at: null } });
    return changed === 1;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.model.update({ revoked_at: new Date() }, { where: { family_id: familyId, revoked_at: null } });
  }

  async revokeAllForUser(userId: string): Promise<void> {
    await this.model.update({ revoked_at: new Date() }, { where: { user_id: userId, revoked_at: null, expires_at: { [Op.gt]: new Date() } } });
  }
}
