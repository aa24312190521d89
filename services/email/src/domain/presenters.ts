import type { EmailRecord } from './email.js';
import type { EmailAcceptedView, EmailView } from './views.js';

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

export function presentAccepted(e: EmailRecord): EmailAcceptedView {
  return { id: e.id, status: e.status };
}
