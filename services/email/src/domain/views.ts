import { z } from 'zod';
import { EMAIL_STATUSES } from './email.js';

// The responses the presenters build, as zod schemas: http/ registers them in the OpenAPI
// document and the presenters' return types are inferred from them, so the two cannot drift.

const Status = z.enum(EMAIL_STATUSES);

export const EmailAcceptedView = z.object({ id: z.string(), status: Status });
export type EmailAcceptedView = z.output<typeof EmailAcceptedView>;

export const EmailView = z.object({
  id: z.string(),
  status: Status,
  attempts: z.number().int(),
  template: z.string(),
  to: z.string(),
  message_id: z.string().nullable(),
  last_error: z.string().nullable(),
  created_at: z.iso.datetime(),
  sent_at: z.iso.datetime().nullable(),
});
export type EmailView = z.output<typeof EmailView>;
