import { createHash, randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { invalidToken, tokenReused } from '@merchant-platform/common/errors';
import type { AuthMethod } from '@merchant-platform/common/tokens/access-token';
import { FIRST_FACTOR_AMR, type RefreshTokenRepository, type SessionFacts } from './refresh-token.js';
import type { SecurityEvents } from './security-events.js';
import { currentSignInClient } from './sign-in-client.js';
import type { SigningKeys } from './signing-keys.js';
import { displayName, type User, type UserRepository } from './user.js';
import type { TokenPairView } from './views.js';

/** What a sign-in answers: the token pair response, typed from its schema. */
export type TokenPair = TokenPairView;

export interface TokenSettings {
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

/** Refresh tokens are 256 random bits; only their SHA-256 is stored (they are not guessable, so no salt). */
const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Issues access/refresh pairs and rotates refresh tokens. Each login starts a family (a session:
 * its id is the access tokens' `sid`); each refresh uses up one token and issues its successor
 * with the same `amr` and `auth_time`; a used token presented again means it was stolen or
 * replayed, so the whole family is revoked.
 */
export class TokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly users: UserRepository,
    private readonly settings: TokenSettings,
    private readonly events: SecurityEvents,
  ) {}

  /**
   * A sign-in: a new session, proven now. `extra.amr` says how (RFC 8176) when it is more than
   * the first factor (a second-factor step); by default the first factor's value (`pwd`, `fed`, `hwk`).
   * `familyId` is the new session's id (the access tokens' `sid`); callers leave it to the default.
   */
  async issueTokenPair(
    user: User,
    authMethod: AuthMethod,
    familyId: string = randomUUID(),
    extra: { amr?: string[] } = {},
  ): Promise<TokenPair> {
    const now = new Date();
    const client = currentSignInClient();
    const session: SessionFacts = {
      amr: extra.amr ?? FIRST_FACTOR_AMR[authMethod],
      authTime: now,
      startedAt: now,
      ip: client.ip,
      userAgent: client.userAgent,
    };
    return this.events.withChange(
      () => this.issue(user, authMethod, familyId, session),
      () => ({ type: 'user.signed_in', userId: user.id, data: { method: authMethod } }),
    );
  }

  private async issue(user: User, authMethod: AuthMethod, familyId: string, session: SessionFacts): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.refreshTokens.create({
      userId: user.id,
      familyId,
      tokenHash: hashRefreshToken(refreshToken),
      authMethod,
      expiresAt: new Date(Date.now() + this.settings.refreshTtlSeconds * 1000),
      session,
    });
    return {
      access_token: this.signAccessToken(user, authMethod, familyId, session),
      token_type: 'bearer',
      expires_in: this.settings.accessTtlSeconds,
      refresh_token: refreshToken,
      refresh_expires_in: this.settings.refreshTtlSeconds,
    };
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const record = await this.refreshTokens.findByHash(hashRefreshToken(refreshToken));
    if (!record) throw invalidToken('The refresh token is invalid or has expired.');
    if (record.usedAt) {
      await this.refreshTokens.revokeFamily(record.familyId);
      throw tokenReused();
    }
    if (record.revokedAt || record.expiresAt.getTime() <= Date.now()) {
      throw invalidToken('The refresh token is invalid or has expired.');
    }
    // Only one concurrent request can mark it used; the others are replays of the same token.
    if (!(await this.refreshTokens.markUsed(record.id))) {
      await this.refreshTokens.revokeFamily(record.familyId);
      throw tokenReused();
    }
    const user = await this.users.findById(record.userId);
    if (!user || user.disabled) {
      await this.refreshTokens.revokeFamily(record.familyId);
      throw invalidToken('The refresh token is invalid or has expired.');
    }
    const pair = await this.issue(user, record.authMethod, record.familyId, record.session);
    // A revocation that marked the family between markUsed and the insert would miss the new
    // token; it reached the used one, though. Checked after signing: a revocation later than this
    // read has a cutoff later than the access token's `iat`, so the list refuses that token.
    if (await this.refreshTokens.isRevoked(record.id)) {
      await this.refreshTokens.revokeFamily(record.familyId);
      throw invalidToken('The refresh token is invalid or has expired.');
    }
    return pair;
  }

  /** Logout: ends the session (family) the token belongs to; unknown tokens are ignored. */
  async revoke(refreshToken: string): Promise<void> {
    const record = await this.refreshTokens.findByHash(hashRefreshToken(refreshToken));
    if (record) await this.refreshTokens.revokeFamily(record.familyId);
  }

  revokeAllForUser(userId: string): Promise<void> {
    return this.refreshTokens.revokeAllForUser(userId);
  }

  private signAccessToken(user: User, authMethod: AuthMethod, sid: string, session: SessionFacts): string {
    return jwt.sign(
      {
        email: user.email,
        email_verified: user.emailVerified,
        name: displayName(user),
        roles: user.roles,
        auth_method: authMethod,
        sid,
        amr: session.amr,
        auth_time: Math.floor(session.authTime.getTime() / 1000),
      },
      this.keys.privateKey,
      {
        algorithm: 'RS256',
        keyid: this.keys.kid,
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        subject: user.id,
        expiresIn: this.settings.accessTtlSeconds,
        jwtid: randomUUID(),
      },
    );
  }
}
