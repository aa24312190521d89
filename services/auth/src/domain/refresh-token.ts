import type { AuthMethod } from '@merchant-platform/common/tokens/access-token';

export interface RefreshTokenRecord {
  id: string;
  userId: string;
  familyId: string;
  authMethod: AuthMethod;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export interface RefreshTokenRepository {
  create(record: { userId: string; familyId: string; tokenHash: string; authMethod: AuthMethod; expiresAt: Date }): Promise<void>;
  findByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** Marks the token used if nobody did first; false means another request already rotated it. */
  markUsed(id: string): Promise<boolean>;
  revokeFamily(familyId: string): Promise<void>;
  revokeAllForUser(userId: string): Promise<void>;
}
