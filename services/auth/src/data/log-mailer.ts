import type { Logger } from '@merchant-platform/common/logger';
import type { Mailer, MailRequest } from '../domain/mailer.js';

const SUBJECTS: Record<MailRequest['template'], string> = {
  verify_email: 'Verify your email address',
  password_reset: 'Your password reset code',
  welcome: 'Welcome to Merchant Platform',
  account_locked: 'Sign-in to your account is paused',
  email_change_code: 'Confirm your new email address',
  email_change_notice: 'Your email address is being changed',
};

/**
 * Development transport (EMAIL_TRANSPORT=log, no email service): writes the message to the
 * log so a person can read the code off the console. The text sits under `text`, which the
 * logger does not redact, on purpose; never use this transport in production.
 */
export class LogMailer implements Mailer {
  constructor(private readonly logger: Logger) {}

  async send(mail: MailRequest): Promise<void> {
    const lines = [mail.data.name ? `Hello ${mail.data.name},` : 'Hello,'];
    if (mail.data.code) lines.push(`Your code is ${mail.data.code}. It is valid for 10 minutes.`);
    if (mail.template === 'account_locked') lines.push('Too many wrong passwords were tried for your account, so sign-in is paused for a while.');
    if (mail.template === 'email_change_notice') lines.push('Someone asked to change the email address of your account; a code went to the new address.');
    this.logger.info({ to: mail.to, subject: SUBJECTS[mail.template], text: lines.join('\n') }, 'e-mail (log transport)');
  }
}
