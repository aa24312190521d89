import { z } from 'zod';
import { NO_CONTROL_CHARACTERS } from './text.js';

/** Trimmed text of 1..max characters with no control characters (NUL, escapes, newlines). */
export const text = (max: number) => z.string().trim().min(1).max(max).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');

/** As `text`, but null, absent or empty means "no value". */
export const optionalText = (max: number) =>
  z
    .union([z.string(), z.null()])
    .optional()
    .transform((v) => (v === undefined || v === null || v.trim() === '' ? null : v))
    .pipe(z.union([text(max), z.null()]));

export const httpsUrl = z.url({ protocol: /^https$/, hostname: z.regexes.domain, error: 'must be an https:// URL' }).max(2048);

/** Emails are trimmed and lower-cased before they are stored or compared (contract). */
export const email = z
  .string()
  .trim()
  .max(254)
  .toLowerCase()
  .pipe(z.email({ error: 'must be an email address' }));
