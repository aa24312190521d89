import type { Counter } from 'prom-client';
import type { Logger } from '@merchant-platform/common/logger';
import type { Mailer } from './mailer.js';
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
    await this.deliver(user, purpose, { name: user.firstName, code }, `code:${id}`);
  }

  async sendWelcome(user: User): Promise<void> {
    await this.deliver(user, 'welcome', { name: user.firstName }, `welcome:${user.id}`);
  }

  private async deliver(user: User, template: 'verify_email' | 'password_reset' | 'welcome', data: Record<string, string>, idempotencyKey: string) {
    try {
      await this.mailer.send({ to: user.email, template, data, idempotencyKey });
    } catch (error) {
      this.failures.inc({ template });
      this.logger.error({ err: error, user_id: user.id, template }, 'could not hand the e-mail to the email service');
    }
  }
}
