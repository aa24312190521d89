/**
 * The one error type handlers throw. The error middleware turns it into the contract's body:
 * {"error": {"code", "message", "details"?}}. Anything that is not an AppError becomes a
 * generic 500 `internal`, so internals never leak.
 */
export interface ErrorDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[] | undefined;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, options: { details?: ErrorDetail[]; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  toBody(): { error: { code: string; message: string; details?: ErrorDetail[] } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

/*
 * One factory per contract code (docs/api.md, "Errors"): each fixes its status, code and a default
 * message, so callers never spell a code and one situation always gets one answer.
 */

export const malformedBody = (message = 'The request body could not be parsed.') => new AppError(400, 'malformed_body', message);

export const unauthenticated = (message = 'Authentication is required.') =>
  new AppError(401, 'unauthenticated', message, { headers: { 'WWW-Authenticate': 'Bearer' } });

export const invalidToken = (message = 'The token is invalid or has expired.') =>
  new AppError(401, 'invalid_token', message, {
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });

export const invalidCredentials = (message = 'The email or password is incorrect.') => new AppError(401, 'invalid_credentials', message);

export const tokenReused = () => new AppError(401, 'token_reused', 'This refresh token was already used; its sessions were revoked.');

/** The route needs a recent sign-in (and a second factor, if the user has one): sign in again. */
export const stepUpRequired = () =>
  new AppError(401, 'step_up_required', 'This needs a recent sign-in; sign in again (with your second factor, if you have one).', {
    headers: { 'WWW-Authenticate': 'Bearer error="insufficient_user_authentication"' },
  });

export const forbidden = (message = 'You are not allowed to do this.') => new AppError(403, 'forbidden', message);

/** A valid credential whose granted scopes do not include what the route needs (an API key). */
export const insufficientScope = (message = 'This credential’s scopes do not allow this.') =>
  new AppError(403, 'insufficient_scope', message, { headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' } });

export const accountDisabled = (message = 'This account is disabled.') => new AppError(403, 'account_disabled', message);

export const mfaEnrollmentRequired = (message = 'This needs a sign-in with a second factor: enrol one, then sign in with it.') =>
  new AppError(403, 'mfa_enrollment_required', message);

export const invalidMfaCode = (message = 'The code is not valid.') => new AppError(422, 'invalid_mfa_code', message);

export const emailNotVerified = (message = 'Verify your email address first.') => new AppError(403, 'email_not_verified', message);

export const notFound = (message = 'The requested resource was not found.') => new AppError(404, 'not_found', message);

export const methodNotAllowed = (allowed: string[]) =>
  new AppError(405, 'method_not_allowed', 'This method is not allowed on this resource.', {
    headers: { Allow: allowed.join(', ') },
  });

export const emailTaken = (message = 'An account with this email already exists.') => new AppError(409, 'email_taken', message);

/** The change would leave a merchant without an owner. */
export const soleOwner = (message = 'A merchant needs at least one owner: make someone else owner first.') =>
  new AppError(409, 'sole_owner', message);

export const conflict = (message = 'The current state of the resource does not allow this.') => new AppError(409, 'conflict', message);

/** `Connection: close`: the connection is not reused after a body the server did not read. */
export const payloadTooLarge = (limitBytes: number) =>
  new AppError(413, 'payload_too_large', `The request body is larger than ${limitBytes} bytes.`, {
    headers: { Connection: 'close' },
  });

export const unsupportedMediaType = (accepted: string[]) =>
  new AppError(415, 'unsupported_media_type', `The request body must be ${accepted.join(' or ')}.`);

export const validationFailed = (details: ErrorDetail[], message = 'The request is not valid.') =>
  new AppError(422, 'validation_failed', message, { details });

export const invalidCode = (message = 'The code is not valid.') => new AppError(422, 'invalid_code', message);

export const codeExpired = (message = 'The code has expired; ask for a new one.') => new AppError(422, 'code_expired', message);

export const passwordMismatch = (message = 'The password and its confirmation differ.') => new AppError(422, 'password_mismatch', message);

/** The message should state the policy, so the person knows what to change. */
export const weakPassword = (message = 'The password is too weak.') => new AppError(422, 'weak_password', message);

export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(429, 'rate_limited', 'Too many requests; try again later.', {
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });

export const unavailable = (message = 'A dependency is unavailable; try again shortly.', retryAfterSeconds = 5) =>
  new AppError(503, 'unavailable', message, { headers: { 'Retry-After': String(retryAfterSeconds) } });

export const internal = () => new AppError(500, 'internal', 'An unexpected error occurred.');
