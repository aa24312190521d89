import type { AuthMethod } from '@merchant-platform/common/tokens/access-token';

/** RFC 8176 `amr` of a sign-in with one factor; the second-factor step issues its own. */
export const FIRST_FACTOR_AMR: Record<AuthMethod, string[]> = { password: ['pwd'], google: ['fed'], passkey: ['hwk'] };

/** What a session (a refresh-token family) keeps from its sign-in; every rotation copies it to the successor. */
export interface SessionFacts {
  amr: string[];
  /** The last time the person proved who they are (the sign-in); a refresh keeps it. */
  authTime: Date;
  startedAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export interface RefreshTokenRecord {
  id: string;
  userId: string;
  familyId: string;
  authMethod: AuthMethod;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  session: SessionFacts;
}

/** A session that can still be refreshed: its family's one unused, unrevoked, unexpired token. */
export interface LiveSession {
  familyId: string;
  session: SessionFacts;
  /** When its live token was issued: the sign-in or the latest refresh. */
  lastUsedAt: Date;
}

export interface NewRefreshToken {
  userId: string;
  familyId: string;
  tokenHash: string;
  authMethod: AuthMethod;
  expiresAt: Date;
  session: SessionFacts;
}

export interface RefreshTokenRepository {
  create(record: NewRefreshToken): Promise<void>;
  findByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** Marks the token used if nobody did first; false means another request already rotated it. */
  markUsed(id: string): Promise<boolean>;
  isRevoked(id: string): Promise<boolean>;
  revokeFamily(familyId: string): Promise<void>;
  revokeAllForUser(userId: string): Promise<void>;
  listLive(userId: string): Promise<LiveSession[]>;
  /**
   * Revokes the user's session `familyId` in one conditional update; false when it is not a live
   * one (unknown, another user's, already ended), also for the loser of two concurrent calls.
   */
  revokeLiveSession(userId: string, familyId: string): Promise<boolean>;
  /**
   * Revokes every other family of the user whose access tokens may still work (still live, or a
   * token issued since `issuedSince`) and returns their ids, so each can be revoked by `sid`.
   */
  revokeOtherFamilies(userId: string, keepFamilyId: string, issuedSince: Date): Promise<string[]>;
}
