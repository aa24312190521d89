import type { AccountDeletion } from './account-deletion.js';
import type { Accounts } from './accounts.js';
import type { AdminMfa } from './admin-mfa.js';
import type { AdminUsers } from './admin-users.js';
import type { DataExport } from './data-export.js';
import type { Audit } from './audit.js';
import type { EmailChange } from './email-change.js';
import type { EmailVerification } from './email-verification.js';
import type { MfaChallengeSignIn } from './mfa-challenge-sign-in.js';
import type { PasskeyRegistration } from './passkeys-registration.js';
import type { PasskeySignIn } from './passkeys-sign-in.js';
import type { PasswordReset } from './password-reset.js';
import type { PasswordSignIn } from './password-sign-in.js';
import type { SecondFactors } from './second-factors.js';
import type { Sessions } from './sessions.js';
import type { SigningKeys } from './signing-keys.js';
import type { StepUp } from './step-up.js';
import type { TokenIssuer } from './token-issuer.js';
import type { TotpFactors } from './totp-factors.js';

/** Everything the auth routes call, built once by app.ts. */
export interface AuthUseCases {
  accounts: Accounts;
  signIn: PasswordSignIn;
  tokens: TokenIssuer;
  verification: EmailVerification;
  passwordReset: PasswordReset;
  emailChange: EmailChange;
  sessions: Sessions;
  /** The *recent* rule the step-up guard applies. */
  stepUp: StepUp;
  admin: AdminUsers;
  passkeyRegistration: PasskeyRegistration;
  passkeySignIn: PasskeySignIn;
  secondFactors: SecondFactors;
  totp: TotpFactors;
  mfaSignIn: MfaChallengeSignIn;
  adminMfa: AdminMfa;
  keys: SigningKeys;
  /** The caller's data rights: `GET /auth/me/export` and `DELETE /auth/me`. */
  dataExport: DataExport;
  accountDeletion: AccountDeletion;
  audit: Audit;
}
