import { randomUUID } from 'node:crypto';
import type { Logger } from '@merchant-platform/common/logger';
import type { MailTransport, RenderedEmail } from '../domain/email.js';

/**
 * `EMAIL_TRANSPORT=log`: writes the rendered message to the log instead of sending it, so a
 * person running the platform locally reads the code off the console. The body goes under
 * `text`, which the logger does not redact (it does redact keys such as `code` and `token`).
 */
export class LogTransport implements MailTransport {
  readonly name = 'log';

  constructor(
    private readonly logger: Logger,
    private readonly from: string,
  ) {}

  async send(email: RenderedEmail, context: { emailId: string; template: string }): Promise<{ messageId: string }> {
    const messageId = `log-${randomUUID()}`;
    this.logger.info(
      { email_id: context.emailId, message_id: messageId, template: context.template, from: this.from, to: email.to, subject: email.subject, text: email.text },
      'e-mail written to the log (EMAIL_TRANSPORT=log), not sent',
    );
    return { messageId };
  }
}
