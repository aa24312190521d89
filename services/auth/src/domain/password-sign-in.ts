import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { forbidden, invalidCredentials } from '@merchant-platform/common/errors';
import { assertNotLimited } from '@merchant-platform/common/rate-limit';
import type { PasswordHasher } from './passwords.js';
import type { RoleGrants } from './roles.js';
import type { TokenIssuer, TokenPair } from './token-issuer.js';
import type { UserRepository } from './user.js';

export interface SignInLimits {
  /** Failures per email + client IP (slows guessing one account). */
  perAccount: RateLimiterAbstract;
  /** Failures per client IP (slows spraying many accounts). */
  perIp: RateLimiterAbstract;
}

/**
 * The OAuth2 password grant. An unknown email costs the same bcrypt comparison as a wrong
 * password and gets the same answer, so neither body nor timing tells which emails exist.
 */
export class PasswordSignIn {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenIssuer,
    private readonly limits: SignInLimits,
    private readonly roles: RoleGrants,
  ) {}

  async signIn(email: string, password: string, clientIp: string): Promise<TokenPair> {
    const accountKey = `${email}|${clientIp}`;
    await assertNotLimited(this.limits.perIp, clientIp);
    await assertNotLimited(this.limits.perAccount, accountKey);

    const user = await this.users.findByEmail(email);
    const valid = user?.passwordHash ? await this.hasher.verify(password, user.passwordHash) : await this.hasher.verifyNobody(password);
    if (!user || !valid) {
      await Promise.all([this.limits.perIp.penalty(clientIp), this.limits.perAccount.penalty(accountKey)]);
      throw invalidCredentials();
    }
    await this.limits.perAccount.delete(accountKey);
    if (user.disabled) throw forbidden('This account is disabled.', 'account_disabled');
    if (this.hasher.needsRehash(user.passwordHash!)) {
      // BCRYPT_COST changed since this hash was made: upgrade it while we know the password.
      await this.users.update(user.id, { passwordHash: await this.hasher.hash(password) });
    }
    return this.tokens.issueTokenPair(await this.roles.apply(user), 'password');
  }
}
