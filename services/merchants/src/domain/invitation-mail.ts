import type { Role } from './roles.js';

/**
 * The one mail merchants sends, in the shape the email service takes (`POST /emails`, or its
 * outbox in-process). The template keeps the merchant's name, which its owner chose, apart
 * from the token and the link.
 */
export interface InvitationMail {
  to: string;
  template: 'member_invitation';
  data: { merchant_name: string; role: Role; token: string; accept_url: string };
  /** The invitation's id: a retried hand-over never sends a second mail. */
  idempotencyKey: string;
}

/** The port merchants sends mail through: the email service over HTTP, or its outbox in all-in-one mode. */
export interface InvitationMailer {
  send(mail: InvitationMail): Promise<void>;
}

/** Where the console serves the accept page; the token rides in the query, as the contract says. */
export function acceptUrl(consoleUrl: string, token: string): string {
  const url = new URL('invitations/accept', consoleUrl.endsWith('/') ? consoleUrl : `${consoleUrl}/`);
  url.searchParams.set('token', token);
  return url.toString();
}
