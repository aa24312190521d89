/**
 * The port through which auth sends e-mail. Auth says what to send (a template and its data);
 * the email service renders and delivers it. Swapping the transport touches one adapter.
 */
export type EmailTemplate = 'verify_email' | 'password_reset' | 'welcome' | 'account_locked' | 'email_change_code' | 'email_change_notice';

export interface MailRequest {
  to: string;
  template: EmailTemplate;
  /** `code` for verify_email, password_reset and email_change_code, `name` for welcome, nothing for account_locked and email_change_notice. */
  data: Record<string, string>;
  /** The same key twice sends one mail: derived from the code's id, so a retry never sends two. */
  idempotencyKey: string;
}

export interface Mailer {
  send(mail: MailRequest): Promise<void>;
}
