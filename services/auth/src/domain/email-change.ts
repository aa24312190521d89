import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { conflict, emailTaken, invalidCode } from '@merchant-platform/common/errors';
import { consumeOrThrow } from '@merchant-platform/common/rate-limit';
import type { AccountMail } from './account-mail.js';
import type { Accounts } from './accounts.js';
import type { OneTimeCodes } from './one-time-codes.js';
import { presentUser } from './presenters.js';
import type { UserView } from './views.js';
import type { Revocations } from './revocations.js';
import type { RoleGrants } from './roles.js';
import type { UserRepository } from './user.js';
import type { SecurityEvents } from './security-events.js';

/**
 * Moving an account to another address: nothing changes until a code mailed to the new address
 * comes back; the old address is told (without the code) so its owner notices a hijack.
 */
export class EmailChange {
  constructor(
    private readonly accounts: Accounts,
    private readonly users: UserRepository,
    private readonly codes: OneTimeCodes,
    private readonly mail: AccountMail,
    /** The per-user mail limit verification mails share (RATE_LIMIT_EMAILS_PER_HOUR). */
    private readonly mailsPerHour: RateLimiterAbstract,
    private readonly roles: RoleGrants,
    private readonly revocations: Revocations,
    private readonly events: SecurityEvents,
  ) {}

  async request(userId: string, newEmail: string): Promise<void> {
    const user = await this.accounts.activeUser(userId);
    if (newEmail === user.email) throw conflict('This is already your email address.');
    // An early answer; the unique index decides at confirmation, when the address may have been taken since.
    if (await this.users.findByEmail(newEmail)) throw emailTaken();
    await consumeOrThrow(this.mailsPerHour, `email-change:${user.id}`);
    await this.mail.commit((queue) => queue.emailChange(user, newEmail));
  }

  /** The caller's session stays; every other one ends (the address that could reset the password changed). */
  async confirm(userId: string, sessionId: string | undefined, code: string): Promise<UserView> {
    const user = await this.accounts.activeUser(userId);
    const { target } = await this.codes.redeem(user.id, 'email_change', code);
    if (!target) throw invalidCode();
    const roles = this.roles.rolesFor({ ...user, email: target, emailVerified: true });
    const changed = await this.events.withChange(
      () => this.users.changeEmail(user.id, target, roles),
      (updated) => updated && { type: 'user.email_changed', userId: user.id, data: { old_email: user.email, new_email: target } },
    );
    if (!changed) throw emailTaken();
    await this.revocations.endOtherSessions(user.id, sessionId);
    return presentUser(changed);
  }
}
