import { email } from '@merchant-platform/common/fields';
import type { RecipientRepository } from './recipient-data.js';

/**
 * What the `user.deleted` consumer calls: erases every row to the deleted user's address.
 * Idempotent. `createdUpTo` (the deletion's time) spares the mail of someone who registered the
 * freed address since, such as their verification code. app.ts binds it to the service's database.
 */
export function recipientErasure(records: RecipientRepository): { eraseEmailsTo(address: string, createdUpTo?: Date): Promise<number> } {
  // The address is compared as it is stored: trimmed and lower-cased.
  return { eraseEmailsTo: (address, createdUpTo) => records.eraseTo(email.parse(address), createdUpTo) };
}
