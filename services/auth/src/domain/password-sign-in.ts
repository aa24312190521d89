import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { accountDisabled, invalidCredentials } from '@merchant-platform/common/errors';
import { clientNetwork, forget, reserveAttempt } from '@merchant-platform/common/rate-limit';
import type { MfaChallengeSignIn } from './mfa-challenge-sign-in.js';
import type { PasswordHasher } from './passwords.js';
import type { RoleGrants } from './roles.js';
import type { SecurityEvents } from './security-events.js';
import type { TokenIssuer, TokenPair } from './token-issuer.js';
import type { UserRepository } from './user.js';
import { countedSignIn } from './sign-in-metrics.js';

export interface SignInLimits {
  /** Failures per email + client network (slows guessing one account). */
  perAccount: RateLimiterAbstract;
  /** Failures per client network (slows spraying many accounts). */
  perIp: RateLimiterAbstract;
  /** Failures per email from every client together (slows a guesser with many addresses). */
  perEmail: RateLimiterAbstract;
}

/** Tells an account's owner that sign-in to it is locked for a while (lock-notice.ts). */
export type LockNotice = (email: string) => Promise<void>;

/**
 * The OAuth2 password grant. An unknown email costs the same bcrypt comparison as a wrong
 * password and gets the same answer, so neither body nor timing tells which emails exist.
 *
 * Each attempt spends its failure point on every limit before bcrypt runs and gets it back only
 * when the password is right, so a burst of guesses can never have more evaluated than the
 * limits allow, on one replica or many.
 */
export class PasswordSignIn {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenIssuer,
    private readonly limits: SignInLimits,
    private readonly noticeLock: LockNotice,
    private readonly roles: RoleGrants,
    private readonly secondStep: Pick<MfaChallengeSignIn, 'demandIfEnrolled'>,
    private readonly events: SecurityEvents,
  ) {}

  signIn(email: string, password: string, clientIp: string): Promise<TokenPair> {
    return countedSignIn('password', () => this.attempt(email, password, clientIp));
  }

  private async attempt(email: string, password: string, clientIp: string): Promise<TokenPair> {
    const network = clientNetwork(clientIp);
    const accountKey = `${email}|${network}`;
    const attempt = await reserveAttempt([
      { limiter: this.limits.perIp, key: network },
      { limiter: this.limits.perAccount, key: accountKey },
      { limiter: this.limits.perEmail, key: email, onRefused: () => this.noticeLock(email) },
    ]);

    const user = await this.users.findByEmail(email);
    const valid = user?.passwordHash ? await this.hasher.verify(password, user.passwordHash) : await this.hasher.verifyNobody(password);
    if (!user || !valid) {
      // Only for an account that exists: a guess at an unknown address names nobody to tell.
      if (user) {
        await this.events.record({
          type: 'user.sign_in_failed',
          userId: user.id,
          actorId: null,
          data: { method: 'password', reason: 'invalid_credentials' },
        });
      }
      throw invalidCredentials();
    }
    await attempt.giveBack();
    // The owner proved the password from this network: earlier failures there were theirs.
    await forget(this.limits.perAccount, accountKey);
    if (user.disabled) throw accountDisabled();
    if (this.hasher.needsRehash(user.passwordHash!)) {
      // An unpeppered hash, or BCRYPT_COST changed since it was made: upgrade it while we know the password.
      await this.users.update(user.id, { passwordHash: await this.hasher.hash(password) });
    }
    const account = await this.roles.apply(user);
    // A user with a second factor gets a challenge (401 mfa_required) instead of tokens.
    await this.secondStep.demandIfEnrolled(account, 'password');
    return this.tokens.issueTokenPair(account, 'password', undefined, { amr: ['pwd'] });
  }
}
