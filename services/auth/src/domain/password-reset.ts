import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { invalidCode } from '@merchant-platform/common/errors';
import type { Logger } from '@merchant-platform/common/logger';
import { clientNetwork, reserveAttempt } from '@merchant-platform/common/rate-limit';
import type { AccountMail } from './account-mail.js';
import type { OneTimeCodes } from './one-time-codes.js';
import { assertPasswordsMatch, assertStrongPassword, type PasswordHasher } from './passwords.js';
import type { Revocations } from './revocations.js';
import type { User, UserRepository } from './user.js';
import type { SecurityEvents } from './security-events.js';

export interface ForgotLimits {
  /** Reset mails per email and client network (RATE_LIMIT_EMAILS_PER_HOUR). */
  perEmailAndIp: RateLimiterAbstract;
  /** Forgot requests per client network, whatever the email. */
  perIp: RateLimiterAbstract;
}

/**
 * Forgot/reset with a mailed code. `forgot` answers the same way, in about the same time,
 * whether or not the email has an account: the code is issued and mailed after the answer.
 *
 * An email with no usable account (unknown or disabled) gets a stand-in code that is stored and
 * counted but never mailed, so `reset` walks the same steps for it (5 wrong codes, then 429).
 *
 * Forgot is limited per email *and client network*, plus per network over all emails: a
 * stranger's requests use up only their own network's quota for the address, never the
 * owner's, while one network cannot spray the platform with reset mails.
 */
export class PasswordReset {
  /** Mailing that runs after the answer; shutting down waits for it rather than cutting it off. */
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly users: UserRepository,
    private readonly codes: OneTimeCodes,
    private readonly mail: AccountMail,
    private readonly hasher: PasswordHasher,
    private readonly revocations: Revocations,
    private readonly limits: ForgotLimits,
    private readonly logger: Logger,
    private readonly events: SecurityEvents,
  ) {}

  async forgot(email: string, clientIp: string): Promise<void> {
    const network = clientNetwork(clientIp);
    await reserveAttempt([
      { limiter: this.limits.perEmailAndIp, key: `reset:${email}|${network}` },
      { limiter: this.limits.perIp, key: network },
    ]);
    const task = this.sendResetCode(email)
      .catch((error: unknown) => this.logger.error({ err: error }, 'password reset mail failed'))
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  /** Resolves once every reset code issued after its answer is stored (and its mail committed). */
  async settle(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async sendResetCode(email: string): Promise<void> {
    const user = await this.usableAccount(email);
    if (user) await this.mail.commit((queue) => queue.code(user, 'password_reset'));
    else await this.codes.issue(this.codes.standInUserId(email), 'password_reset');
  }

  async reset(email: string, code: string, password: string, confirmation: string): Promise<void> {
    assertPasswordsMatch(password, confirmation);
    assertStrongPassword(password);
    const user = await this.usableAccount(email);
    await this.codes.redeem(user?.id ?? this.codes.standInUserId(email), 'password_reset', code);
    // Only a guess of a never-mailed stand-in code gets here: it is still wrong.
    if (!user) throw invalidCode();
    // The mailed code proves the address, so a reset also verifies it.
    const passwordHash = await this.hasher.hash(password);
    await this.events.withChange(
      () => this.users.update(user.id, { passwordHash, emailVerified: true }),
      () => ({ type: 'user.password_reset', userId: user.id, actorId: null, data: {} }),
    );
    await this.revocations.endAllSessions(user.id);
  }

  private async usableAccount(email: string): Promise<User | undefined> {
    const user = await this.users.findByEmail(email);
    return user && !user.disabled ? user : undefined;
  }
}
