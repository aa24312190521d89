import { z } from 'zod';
import { email } from '@merchant-platform/common/fields';
import { NO_CONTROL_CHARACTERS } from '@merchant-platform/common/text';

// `POST /emails` takes the domain's `EmailRequest` as its body, so HTTP and in-process callers meet the same rules.

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
