import { z } from 'zod';
import { email } from '@merchant-platform/common/http/fields';
import { TEMPLATE_DATA, TEMPLATE_NAMES } from '../domain/templates.js';

const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

export const SendEmailBody = z
  .object({
    to: email,
    template: z.enum(TEMPLATE_NAMES),
    data: z.record(z.string(), z.unknown()).optional().describe('What the template needs: `name` and `code` for codes, `name` for `welcome`'),
    idempotency_key: z
      .string()
      .min(1)
      .max(200)
      .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
      .optional()
      .describe('Unique per caller: the same key again returns the first message and sends nothing new'),
  })
  // The template's data rules, reported together with any other problem in one 422.
  .superRefine((body, ctx) => {
    const schema = TEMPLATE_DATA[body.template];
    if (!schema) return;
    const result = schema.safeParse(body.data ?? {});
    if (result.success) return;
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: 'custom', path: ['data', ...issue.path.map(String)], message: issue.message });
    }
  });

/** The seed's `send_emails` body; the template decides the subject, so `subject` is ignored. */
export const LegacySendEmailBody = z.object({
  email,
  subject: z.string().max(998).optional(),
  otp: z
    .union([z.string(), z.number().int().nonnegative()])
    .transform(String)
    .pipe(z.string().regex(/^\d{6}$/, 'must be a 6-digit code')),
  user_id: z
    .union([z.string(), z.number().int()])
    .transform(String)
    .pipe(z.string().min(1).max(64).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')),
});

export const EmailIdParams = z.object({ id: z.string().min(1).max(64) });

const Status = z.enum(['queued', 'sent', 'failed']);

export const EmailAccepted = z.object({ id: z.string(), status: Status });

export const Email = z.object({
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
