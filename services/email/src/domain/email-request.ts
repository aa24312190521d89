import { z } from 'zod';
import { email } from '@merchant-platform/common/fields';
import { NO_CONTROL_CHARACTERS } from '@merchant-platform/common/text';
import { TEMPLATE_DATA, TEMPLATE_NAMES } from './templates.js';

/**
 * What a caller may ask the outbox for, with the chosen template's data rules folded in, so one
 * 422 names every problem. Checked once, where a request comes in: the `POST /emails` body
 * schema, or `outboxSender` for in-process callers. Unknown fields are dropped, in the request
 * and in `data`.
 */
export const EmailRequest = z
  .object({
    to: email,
    template: z.enum(TEMPLATE_NAMES),
    data: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'What the template needs: `code` for verify_email, password_reset and email_change_code, `name` for welcome, nothing for account_locked and email_change_notice; `merchant_name`, `role`, `token` and `accept_url` for member_invitation',
      ),
    idempotency_key: z
      .string()
      .min(1)
      .max(200)
      .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
      .optional()
      .describe('Unique per caller: the same key again returns the first message and sends nothing new'),
  })
  .transform((request, ctx) => {
    const data = TEMPLATE_DATA[request.template].safeParse(request.data ?? {});
    if (data.success) return { ...request, data: data.data as Record<string, string> };
    // The template's rules run after the shape's, so their issues are re-rooted under `data`.
    for (const issue of data.error.issues) ctx.addIssue({ ...issue, path: ['data', ...issue.path] });
    return z.NEVER;
  });

export type EmailRequest = z.output<typeof EmailRequest>;
