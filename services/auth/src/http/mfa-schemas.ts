import { z } from 'zod';
import { ErrorBody } from '@merchant-platform/common/http/openapi';
import { text } from '@merchant-platform/common/fields';
import { AuthenticationResponse } from './passkey-schemas.js';

export const TotpEnrolmentBody = z.object({ name: text(100).optional().describe('How the factor is listed, e.g. "Work phone"') });

export const TotpEnrolment = z.object({
  factor_id: z.string(),
  secret: z.string().describe('base32; shown once, for typing into an app that cannot scan'),
  otpauth_uri: z.string().describe('otpauth://totp/... for authenticator apps'),
  qr_svg: z.string().describe('the otpauth URI as a QR code, an SVG document'),
});

export const FactorIdParams = z.object({ factor_id: z.string().min(1).max(64) });
export const FactorParams = z.object({ id: z.string().min(1).max(64) });

/** A TOTP code (6 digits) or a recovery code (`xxxxx-xxxxx`); which one is read from its shape. */
const code = z.string().trim().min(1).max(64);

export const TotpConfirmBody = z.object({ code });

const RecoveryCodeList = z.array(z.string()).describe('ten single-use codes, shown only now');

export const TotpConfirmation = (factor: z.ZodType) => z.object({ factor, recovery_codes: RecoveryCodeList.optional() });

export const RecoveryCodeSet = z.object({ recovery_codes: RecoveryCodeList });

export const MfaVerifyBody = z
  .object({
    mfa_token: z.string().min(1).max(128),
    code: code.optional(),
    passkey_response: AuthenticationResponse.optional().describe('AuthenticationResponseJSON for options asked with this mfa_token'),
  })
  .refine((body) => (body.code === undefined) !== (body.passkey_response === undefined), {
    message: 'give either code or passkey_response',
    path: ['code'],
  });

/** The `mfa` member of 401 `mfa_required`. */
const MfaChallenge = z.object({
  mfa_token: z.string().describe('single use, for /auth/mfa/verify and /auth/passkeys/authentication/options'),
  factors: z.array(z.object({ id: z.string(), type: z.enum(['totp', 'passkey']) })),
  expires_in: z.number().int().describe('seconds'),
});

/** The contract's error body, plus `mfa` when the code is `mfa_required`. */
export const MfaRequiredError = z.object({
  error: ErrorBody.shape.error.extend({ mfa: MfaChallenge.optional().describe('only with `mfa_required`') }),
});

export const MFA_REQUIRED_401 =
  '`invalid_credentials`, `invalid_token`, `token_reused`, or `mfa_required` with an `mfa` member ' +
  '(`mfa_token`, `factors`, `expires_in`): the first factor was right; finish at `POST /auth/mfa/verify`';
