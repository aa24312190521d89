import { createHmac, randomUUID } from 'node:crypto';
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { accountDisabled, invalidCredentials } from '@merchant-platform/common/errors';
import type { Logger } from '@merchant-platform/common/logger';
import {
  CHALLENGE_TTL_MS,
  sha256Hex,
  type ChallengePurpose,
  type PasskeyCredential,
  type PasskeyCredentialRepository,
  type WebAuthnChallengeRepository,
} from './passkeys.js';
import { counterRegressed, PasskeyRejected, type WebAuthnCeremonies } from './passkeys-verification.js';
import type { TokenIssuer, TokenPair } from './token-issuer.js';
import type { UserRepository } from './user.js';
import { countedSignIn } from './sign-in-metrics.js';

export interface PasskeyChallengeView {
  challenge_id: string;
  options: PublicKeyCredentialRequestOptionsJSON;
}

/**
 * Passwordless sign-in with a passkey. Every failure after the challenge is spent (unknown
 * credential, another user's challenge, a bad signature, a counter that went backwards) is the
 * same 401, so the answer never says which check failed; the log does.
 */
export class PasskeySignIn {
  constructor(
    private readonly users: UserRepository,
    private readonly credentials: PasskeyCredentialRepository,
    private readonly challenges: WebAuthnChallengeRepository,
    private readonly ceremonies: WebAuthnCeremonies,
    private readonly tokens: TokenIssuer,
    private readonly logger: Logger,
    /** Keys the decoy credential ids given for emails without passkeys. */
    private readonly decoyKey: Buffer,
  ) {}

  /**
   * Without an email: a challenge any discoverable passkey may answer. With one: the challenge is
   * bound to that account and lists its passkeys; an unknown email, or an account without
   * passkeys, gets a stable decoy id instead, so the answer does not tell which emails exist.
   */
  async options(email: string | undefined): Promise<PasskeyChallengeView> {
    if (email === undefined) return this.issueChallenge('authentication', null, []);
    const user = await this.users.findByEmail(email);
    const passkeys = user ? await this.credentials.listForUser(user.id) : [];
    const allow =
      passkeys.length > 0 ? passkeys.map((c) => ({ id: c.credentialId, transports: c.transports })) : [{ id: this.decoyId(email) }];
    return this.issueChallenge('authentication', user?.id ?? null, allow);
  }

  /**
   * Options bound to one user, for a second-factor step that already knows who signs in. Its
   * challenge serves only that step (`second_factor`), never a passkey sign-in of its own.
   */
  async optionsForUser(userId: string): Promise<PasskeyChallengeView> {
    const passkeys = await this.credentials.listForUser(userId);
    return this.issueChallenge(
      'second_factor',
      userId,
      passkeys.map((c) => ({ id: c.credentialId, transports: c.transports })),
    );
  }

  signIn(challengeId: string, response: AuthenticationResponseJSON): Promise<TokenPair> {
    return countedSignIn('passkey', () => this.attempt(challengeId, response));
  }

  private async attempt(challengeId: string, response: AuthenticationResponseJSON): Promise<TokenPair> {
    const credential = await this.provePossession(challengeId, response);
    if (!credential) throw invalidCredentials('The passkey could not be verified.');
    const user = await this.users.findById(credential.userId);
    if (!user) throw invalidCredentials('The passkey could not be verified.');
    if (user.disabled) throw accountDisabled();
    return this.tokens.issueTokenPair(user, 'passkey', undefined, { amr: ['hwk'] });
  }

  /**
   * Spends the challenge and checks that `response` proves possession of a passkey of the user
   * the challenge is bound to (any user for an unbound one). Returns the credential, its counter
   * advanced, or undefined for any failure. The second-factor step (`/auth/mfa/verify`) uses this too.
   */
  async provePossession(
    challengeId: string,
    response: AuthenticationResponseJSON,
    purpose: ChallengePurpose = 'authentication',
  ): Promise<PasskeyCredential | undefined> {
    const challenge = await this.challenges.consume({ purpose, id: challengeId });
    if (!challenge) return this.refuse('unknown_challenge', {});
    const credential = await this.credentials.findByCredentialId(response.id);
    if (!credential) return this.refuse('unknown_credential', {});
    const context = { userId: credential.userId, passkeyId: credential.id };
    if (challenge.userId !== null && challenge.userId !== credential.userId) return this.refuse('challenge_of_another_user', context);
    const { userHandle } = response.response;
    if (userHandle !== undefined && Buffer.from(userHandle, 'base64url').toString('utf8') !== credential.userId) {
      return this.refuse('user_handle_mismatch', context);
    }
    let signCount: number;
    try {
      signCount = await this.ceremonies.verifyAssertion(response, challenge.challengeHash, credential);
    } catch (error) {
      if (!(error instanceof PasskeyRejected)) throw error;
      return this.refuse(error.reason, context);
    }
    // Checked here and again by the conditional update, which also settles two concurrent assertions.
    if (counterRegressed(credential.signCount, signCount) || !(await this.credentials.advanceCounter(credential.id, signCount))) {
      await this.credentials.recordCounterRegression(credential.id);
      this.logger.warn(
        { ...context, storedCounter: credential.signCount, presentedCounter: signCount },
        'passkey sign counter went backwards: possibly a cloned authenticator; refused',
      );
      return undefined;
    }
    return credential;
  }

  private async issueChallenge(
    purpose: ChallengePurpose,
    userId: string | null,
    allow: { id: string; transports?: string[] }[],
  ): Promise<PasskeyChallengeView> {
    const options = await this.ceremonies.requestOptions({ challenge: this.ceremonies.newChallenge(), allow });
    const id = randomUUID();
    await this.challenges.deleteExpired(new Date(Date.now() - CHALLENGE_TTL_MS));
    await this.challenges.create({
      id,
      purpose,
      userId,
      challengeHash: sha256Hex(options.challenge),
      expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
    });
    return { challenge_id: id, options };
  }

  private decoyId(email: string): string {
    return createHmac('sha256', this.decoyKey).update(email).digest('base64url');
  }

  private refuse(reason: string, context: Record<string, string>): undefined {
    this.logger.info({ ...context, reason }, 'passkey sign-in refused');
    return undefined;
  }
}
