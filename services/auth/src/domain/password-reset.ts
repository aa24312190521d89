import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { unprocessable } from '@merchant-platform/common/errors';
import type { Logger } from '@merchant-platform/common/logger';
import { consumeOrThrow } from '@merchant-platform/common/rate-limit';
import type { AccountMail } from './account-mail.js';
import type { OneTimeCodes } from './one-time-codes.js';
import { assertPasswordsMatch, assertStrongPassword, type PasswordHasher } from './passwords.js';
import type { TokenIssuer } from './token-issuer.js';
import type { UserRepository } from './user.js';

/**
 * Forgot/reset with a mailed code. `forgot` answers the same way, in about the same time,
 * whether or not the email has an account: the code is issued and mailed after the answer.
 */
export class PasswordReset {
  constructor(
    private readonly users: UserRepository,
    private readonly codes: OneTimeCodes,
    private readonly mail: AccountMail,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenIssuer,
    private readonly mailsPerHour: RateLimiterAbstract,
    private readonly logger: Logger,
  ) {}

  async forgot(email: string): Promise<void> {
    await consumeOrThrow(this.mailsPerHour, `reset:${email}`);
    void this.sendResetCode(email).catch((error: unknown) => this.logger.error({ err: error }, 'password reset mail failed'));
  }

  private async sendResetCode(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || user.disabled) return;
    await this.mail.commit((queue) => queue.code(user, 'password_reset'));
  }

  async reset(email: string, code: string, password: string, confirmation: string): Promise<void> {
    assertPasswordsMatch(password, confirmation);
    assertStrongPassword(password);
    const user = await this.users.findByEmail(email);
    if (!user || user.disabled) throw unprocessable('invalid_code', 'The code is not valid.');
    await this.codes.redeem(user.id, 'password_reset', code);
    // The mailed code proves the address, so a reset also verifies it.
    await this.users.update(user.id, { passwordHash: await this.hasher.hash(password), emailVerified: true });
    await this.tokens.revokeAllForUser(user.id);
  }
}
