import { ApiError } from '../api-client/api-error.js';

/** What a form shows after the API refused it: messages beside fields, and one for the whole form. */
export interface FormErrors {
  fields: Record<string, string>;
  form?: string;
  /** The API's status, answered to the browser too (422, 409, 429...). */
  status: number;
}

/** Codes that concern one field whatever the route; everything else is about the whole form. */
const FIELDS_OF_CODE: Record<string, string[]> = {
  weak_password: ['password'],
  password_mismatch: ['confirm_password'],
  email_taken: ['email', 'new_email'],
  invalid_code: ['code'],
  code_expired: ['code'],
  invalid_mfa_code: ['code'],
  invalid_credentials: ['current_password'],
};

/**
 * The API's answer, turned into the messages a person reads next to what they typed. The API
 * stays the authority: its own message is shown, only placed. A 429 says when to try again.
 */
export function formErrorsFrom(error: unknown, fieldNames: string[]): FormErrors {
  if (!(error instanceof ApiError)) throw error;
  if (error.status === 429) {
    const when = error.retryAfterSeconds === undefined ? 'later' : `in ${describeWait(error.retryAfterSeconds)}`;
    return { fields: {}, form: `Too many attempts. Try again ${when}.`, status: 429 };
  }
  if (error.status >= 500 || error.signedOut) throw error;
  const fields: Record<string, string> = {};
  for (const detail of error.details) {
    // `address.city` is the form's `address_city`; else the top-level field (`scopes.0` is `scopes`).
    // A filter's problem (`query.since`) concerns the filter field of the same name.
    const path = detail.path.replace(/^query\./, '');
    const flat = path.replace(/\./g, '_');
    const name = path.split('.')[0] ?? '';
    const field = [flat, name].find((candidate) => fieldNames.includes(candidate));
    if (field && !fields[field]) fields[field] = detail.message;
  }
  const codeField = FIELDS_OF_CODE[error.code]?.find((name) => fieldNames.includes(name));
  if (codeField) fields[codeField] = error.message;
  const placed = Object.keys(fields).length > 0;
  return placed ? { fields, status: error.status } : { fields, form: error.message, status: error.status };
}

export function describeWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}
