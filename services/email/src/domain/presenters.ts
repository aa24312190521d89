import type { EmailRecord, EmailStatus } from './email.js';

export interface EmailView {
  id: string;
  status: EmailStatus;
  attempts: number;
  template: string;
  to: string;
  message_id: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface EmailAccepted {
  id: string;
  status: EmailStatus;
}

// Presenters copy fields one by one: the row's data (a one-time code) never reaches a response.

export function presentEmail(e: EmailRecord): EmailView {
  return {
    id: e.id,
    status: e.status,
    attempts: e.attempts,
    template: e.template,
    to: e.to,
    message_id: e.message_id,
    last_error: e.last_error,
    created_at: e.created_at.toISOString(),
    sent_at: e.sent_at ? e.sent_at.toISOString() : null,
  };
}

export function presentAccepted(e: EmailRecord): EmailAccepted {
  return { id: e.id, status: e.status };
}
