import { randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import type { Logger } from '@merchant-platform/common/logger';
import type { EmailTemplate, Mailer } from './mailer.js';
import type { CodePurpose, OneTimeCodes } from './one-time-codes.js';
import type { User } from './user.js';

/**
 * Issues codes and mails them. A mail that cannot be handed to the email service is logged
 * and counted, never fatal: the user can ask for a new code, and sign-up must not fail
 * because e-mail is down.
 */
export class AccountMail {
  constructor(
    private readonly codes: OneTimeCodes,
    private readonly mailer: Mailer,
    private readonly logger: Logger,
    private readonly failures: Counter<'template'>,
  ) {}

  async sendCode(user: User, purpose: CodePurpose): Promise<void> {
    const { id, code } = await this.codes.issue(user.id, purpose);
    // Only the code: a mail that carries a code holds no text a requester typed (a name could be a phishing line).
    await this.deliver(user, purpose, { code }, `code:${id}`);
  }

  async sendWelcome(user: User): Promise<void> {
    await this.deliver(user, 'welcome', { name: user.firstName }, `welcome:${user.id}`);
  }

  /** Sign-in to the account is locked for a while; lock-notice.ts sends one per window, each a new mail. */
  async sendAccountLocked(user: User): Promise<void> {
    await this.deliver(user, 'account_locked', {}, `account_locked:${randomUUID()}`);
  }

  private async deliver(user: User, template: EmailTemplate, data: Record<string, string>, idempotencyKey: string) {
    try {
      await this.mailer.send({ to: user.email, template, data, idempotencyKey });
    } catch (error) {
      this.failures.inc({ template });
      this.logger.error({ err: error, user_id: user.id, template }, 'could not hand the e-mail to the email service');
    }
  }
}
