/** A field's problem, as the APIs' 422 `details` name it (`password`, `address.country`). */
export interface FieldProblem {
  path: string;
  message: string;
}

/** The second-factor challenge a `401 mfa_required` carries. */
export interface MfaChallenge {
  mfa_token: string;
  factors: { id: string; type: 'totp' | 'passkey' }[];
  expires_in: number;
}

/** A non-2xx answer from the APIs: the contract's error body, plus `Retry-After` for 429 and 503. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
    readonly retryAfterSeconds: number | undefined = undefined,
    readonly mfa: MfaChallenge | undefined = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** True when the console's tokens no longer work and the person must sign in again. */
  get signedOut(): boolean {
    return this.status === 401 && ['unauthenticated', 'invalid_token', 'token_reused'].includes(this.code);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: FieldProblem[]; mfa?: MfaChallenge };
}

export function apiErrorFrom(status: number, text: string, retryAfter: string | undefined): ApiError {
  let body: ErrorBody = {};
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    // A proxy's HTML error page: no contract body to read.
  }
  const retry = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  return new ApiError(
    status,
    body.error?.code ?? (status >= 500 ? 'unavailable' : 'unknown'),
    body.error?.message ?? 'The service could not answer. Please try again.',
    body.error?.details ?? [],
    retry,
    body.error?.mfa,
  );
}
