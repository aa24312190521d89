import { z } from 'zod';
import { EMAIL_STATUSES, type EmailRecord } from './email.js';

export interface RecipientRepository {
  /** Every row to the address, oldest first. */
  listTo(address: string): Promise<EmailRecord[]>;
  /** Deletes the rows to the address (created up to `createdUpTo`, when given); answers how many. */
  eraseTo(address: string, createdUpTo: Date | undefined): Promise<number>;
}

/** One e-mail in a person's data export: what was sent and when, never its data (codes) or body. */
export const RecipientEmailView = z.object({
  id: z.string(),
  template: z.string(),
  status: z.enum(EMAIL_STATUSES),
  created_at: z.iso.datetime(),
  sent_at: z.iso.datetime().nullable(),
});
export type RecipientEmailView = z.output<typeof RecipientEmailView>;

export const RecipientExportView = z.object({ emails: z.array(RecipientEmailView) });
export type RecipientExportView = z.output<typeof RecipientExportView>;

/** Email's part of a person's data export. */
export async function exportRecipient(records: RecipientRepository, address: string): Promise<RecipientExportView> {
  return { emails: (await records.listTo(address)).map(presentRecipientEmail) };
}

function presentRecipientEmail(e: EmailRecord): RecipientEmailView {
  return {
    id: e.id,
    template: e.template,
    status: e.status,
    created_at: e.created_at.toISOString(),
    sent_at: e.sent_at ? e.sent_at.toISOString() : null,
  };
}
