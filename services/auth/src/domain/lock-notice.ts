import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '@merchant-platform/common/logger';
import { spendIfAvailable } from '@merchant-platform/common/rate-limit';
import type { AccountMail } from './account-mail.js';
import type { UserRepository } from './user.js';
import type { SecurityEvents } from './security-events.js';

/**
 * When the per-email sign-in limit trips, the account's owner is told once per lock window
 * (`oncePerWindow` has one point per email and window), so a lock they did not cause is no
 * mystery. Unknown and disabled emails get nothing. Never throws: the caller is answering 429.
 */
export class SignInLockNotice {
  constructor(
    private readonly users: UserRepository,
    private readonly mail: AccountMail,
    private readonly oncePerWindow: RateLimiterAbstract,
    private readonly logger: Logger,
    private readonly events: SecurityEvents,
  ) {}

  readonly notify = async (email: string): Promise<void> => {
    try {
      if (!(await spendIfAvailable(this.oncePerWindow, email))) return;
      const user = await this.users.findByEmail(email);
      if (!user || user.disabled) return;
      await this.mail.commit(async (queue) => {
        await queue.accountLocked(user);
        await this.events.record({ type: 'user.locked', userId: user.id, actorId: null, data: { until: null } });
      });
    } catch (error) {
      this.logger.error({ err: error }, 'could not send the sign-in lock notice');
    }
  };
}
