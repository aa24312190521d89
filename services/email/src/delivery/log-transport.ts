import { randomUUID } from 'node:crypto';
import type { Logger } from '@merchant-platform/common/logger';
import type { MailTransport, RenderedEmail } from '../domain/email.js';

/**
 * `EMAIL_TRANSPORT=log`: writes the rendered message to the log instead of sending it. The body
 * goes under `text`, which the logger does not redact (it does redact keys such as `code`).
 * Given a console (development), it also prints the mail there as a block a person can spot
 * among the JSON lines, with the code on its own line.
 */
export class LogTransport implements MailTransport {
  readonly name = 'log';

  constructor(
    private readonly logger: Logger,
    private readonly from: string,
    private readonly console?: NodeJS.WritableStream,
  ) {}

  async send(email: RenderedEmail, context: { emailId: string; template: string }): Promise<{ messageId: string }> {
    const messageId = `log-${randomUUID()}`;
    this.logger.info(
      {
        email_id: context.emailId,
        message_id: messageId,
        template: context.template,
        from: this.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
      },
      'e-mail written to the log (EMAIL_TRANSPORT=log), not sent',
    );
    this.console?.write(consoleBlock(email));
    return { messageId };
  }
}

const RULE = '='.repeat(72);

/** One write, so the block is never split by a log line written at the same time. */
function consoleBlock(email: RenderedEmail): string {
  const lines = [
    '',
    RULE,
    'E-MAIL (EMAIL_TRANSPORT=log: shown here, not sent)',
    `To: ${email.to}`,
    `Subject: ${email.subject}`,
    ...(email.code ? [`Code: ${email.code}`] : []),
    RULE,
    email.text.trimEnd(),
    RULE,
    '',
  ];
  return `${lines.join('\n')}\n`;
}
