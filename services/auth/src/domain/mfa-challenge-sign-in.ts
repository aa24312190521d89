import { randomBytes, randomUUID } from 'node:crypto';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { accountDisabled, invalidMfaCode, invalidToken } from '@merchant-platform/common/errors';
import type { Logger } from '@merchant-platform/common/logger';
import { reserveAttempt } from '@merchant-platform/common/rate-limit';
import {
  MAX_MFA_ATTEMPTS,
  MFA_CHALLENGE_TTL_SECONDS,
  MfaRequired,
  type MfaChallenge,
  type MfaChallengeRepository,
} from './mfa-challenge.js';
import { sha256Hex } from './passkeys.js';
import type { PasskeyChallengeView, PasskeySignIn } from './passkeys-sign-in.js';
import type { RecoveryCodes } from './recovery-codes.js';
import type { RoleGrants } from './roles.js';
import type { SecondFactors } from './second-factors.js';
import type { TokenIssuer, TokenPair } from './token-issuer.js';
import { isTotpCode } from './totp.js';
import type { TotpFactors } from './totp-factors.js';
import type { User, UserRepository } from './user.js';
import { countedSignIn } from './sign-in-metrics.js';
import type { SecurityEvents } from './security-events.js';

export type SecondFactorProof = { code: string } | { passkeyResponse: AuthenticationResponseJSON };

/** mfa_tokens are 256 random bits (not guessable, so no salt); only their SHA-256 is stored. */
const hashToken = sha256Hex;

const deadChallenge = () => invalidToken('This sign-in is unknown, used, expired or out of tries; sign in again.');

/** RFC 8176 names of the first factor. */
const FIRST_FACTOR_AMR = { password: 'pwd', google: 'fed' } as const;

/**
 * The second step of a sign-in. A right password (or Google) for a user with a factor gets a
 * single-use challenge instead of tokens; `/auth/mfa/verify` answers it with a TOTP code, a
 * recovery code or a passkey assertion.
 *
 * Each try is counted before it is checked (a conditional UPDATE of the attempts counter), so a
 * burst of guesses cannot have more than five checked; the per-user limit, spent the same way
 * and given back on success, caps guessing across many challenges of one account.
 */
export class MfaChallengeSignIn {
  constructor(
    private readonly challenges: MfaChallengeRepository,
    private readonly secondFactors: SecondFactors,
    private readonly totp: TotpFactors,
    private readonly recoveryCodes: RecoveryCodes,
    private readonly passkeys: PasskeySignIn,
    private readonly users: UserRepository,
    private readonly tokens: TokenIssuer,
    private readonly roles: RoleGrants,
    private readonly perUser: RateLimiterAbstract,
    private readonly logger: Logger,
    private readonly events: SecurityEvents,
  ) {}

  /** Throws 401 `mfa_required` with a new challenge when the user has a confirmed factor. */
  async demandIfEnrolled(user: User, authMethod: MfaChallenge['authMethod']): Promise<void> {
    const factors = await this.secondFactors.list(user.id);
    if (factors.length === 0) return;
    const token = randomBytes(32).toString('base64url');
    const id = randomUUID();
    const now = Date.now();
    await this.challenges.deleteExpired(new Date(now));
    await this.challenges.create({
      id,
      userId: user.id,
      authMethod,
      passkeyChallengeId: null,
      tokenHash: hashToken(token),
      expiresAt: new Date(now + MFA_CHALLENGE_TTL_SECONDS * 1000),
    });
    this.logger.info({ userId: user.id, challengeId: id }, 'second factor required');
    throw new MfaRequired({
      mfa_token: token,
      factors: factors.map(({ id, type }) => ({ id, type })),
      expires_in: MFA_CHALLENGE_TTL_SECONDS,
    });
  }

  /** WebAuthn options bound to this sign-in's user, answered through `verify`. */
  async passkeyOptions(mfaToken: string): Promise<PasskeyChallengeView> {
    const challenge = await this.challenges.findLive(hashToken(mfaToken), MAX_MFA_ATTEMPTS);
    if (!challenge) throw deadChallenge();
    const view = await this.passkeys.optionsForUser(challenge.userId);
    if (!(await this.challenges.attachPasskeyChallenge(challenge.id, view.challenge_id))) throw deadChallenge();
    return view;
  }

  verify(mfaToken: string, proof: SecondFactorProof): Promise<TokenPair> {
    return countedSignIn('second_factor', () => this.attemptVerify(mfaToken, proof));
  }

  private async attemptVerify(mfaToken: string, proof: SecondFactorProof): Promise<TokenPair> {
    const challenge = await this.challenges.findLive(hashToken(mfaToken), MAX_MFA_ATTEMPTS);
    if (!challenge) throw deadChallenge();
    const attempt = await reserveAttempt([{ limiter: this.perUser, key: challenge.userId }]);
    if (!(await this.challenges.spendAttempt(challenge.id, MAX_MFA_ATTEMPTS))) {
      await attempt.giveBack();
      throw deadChallenge();
    }
    const secondFactor = await this.prove(challenge, proof);
    if (!secondFactor) {
      this.logger.info({ userId: challenge.userId, challengeId: challenge.id }, 'second factor refused');
      throw invalidMfaCode();
    }
    await attempt.giveBack();
    if (!(await this.challenges.complete(challenge.id))) throw deadChallenge();
    const user = await this.users.findById(challenge.userId);
    if (!user) throw deadChallenge();
    if (user.disabled) throw accountDisabled();
    const amr = [FIRST_FACTOR_AMR[challenge.authMethod], secondFactor, 'mfa'];
    return this.tokens.issueTokenPair(await this.roles.apply(user), challenge.authMethod, undefined, { amr });
  }

  /** The RFC 8176 name of the factor `proof` proves (`otp` for TOTP and recovery codes), or undefined. */
  private async prove(challenge: MfaChallenge, proof: SecondFactorProof): Promise<'otp' | 'hwk' | undefined> {
    if ('code' in proof) {
      const proven = isTotpCode(proof.code)
        ? await this.totp.prove(challenge.userId, proof.code)
        : await this.events.withChange(
            () => this.recoveryCodes.redeem(challenge.userId, proof.code),
            (used) => (used ? { type: 'mfa.recovery_code_used', userId: challenge.userId, data: {} } : undefined),
          );
      return proven ? 'otp' : undefined;
    }
    if (!challenge.passkeyChallengeId) return undefined;
    const credential = await this.passkeys.provePossession(challenge.passkeyChallengeId, proof.passkeyResponse, 'second_factor');
    return credential?.userId === challenge.userId ? 'hwk' : undefined;
  }
}
