import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { conflict, notFound } from '@merchant-platform/common/errors';
import { consumeOrThrow } from '@merchant-platform/common/rate-limit';
import type { AccountMail } from './account-mail.js';
import { activeUser } from './active-user.js';
import type { OneTimeCodes } from './one-time-codes.js';
import { presentUser } from './presenters.js';
import type { UserView } from './views.js';
import type { RoleGrants } from './roles.js';
import type { SecurityEvents } from './security-events.js';
import type { UserRepository } from './user.js';

/** Proving the account's email address with a mailed code; the role rule (roles.ts) applies once it is proven. */
export class EmailVerification {
  constructor(
    private readonly users: UserRepository,
    private readonly codes: OneTimeCodes,
    private readonly mail: AccountMail,
    private readonly mailsPerHour: RateLimiterAbstract,
    private readonly roles: RoleGrants,
    private readonly events: SecurityEvents,
  ) {}

  async resend(userId: string): Promise<void> {
    const user = await activeUser(this.users, userId);
    if (user.emailVerified) throw conflict('This email address is already verified.');
    await consumeOrThrow(this.mailsPerHour, `verify:${user.id}`);
    await this.mail.commit((queue) => queue.code(user, 'verify_email'));
  }

  async confirm(userId: string, code: string): Promise<UserView> {
    const user = await activeUser(this.users, userId);
    if (user.emailVerified) throw conflict('This email address is already verified.');
    await this.codes.redeem(user.id, 'verify_email', code);
    const roles = this.roles.rolesFor({ ...user, emailVerified: true });
    const verified = await this.mail.commit(async (queue) => {
      const updated = await this.users.update(user.id, { emailVerified: true, roles });
      if (!updated) throw notFound('This account no longer exists.');
      await queue.welcome(updated);
      await this.events.record({ type: 'user.email_verified', userId: user.id, data: {} });
      return updated;
    });
    return presentUser(verified);
  }
}
