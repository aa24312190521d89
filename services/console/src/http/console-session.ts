import type { Context } from 'koa';
import type { MfaChallenge } from '../api-client/api-error.js';

/** The API tokens of a signed-in browser; only ever in the server-side session row. */
export interface SessionTokens {
  access: string;
  refresh: string;
  /** Epoch milliseconds after which the access token is refreshed before use. */
  accessExpiresAt: number;
}

/** What the pages show about who is signed in (from `GET /auth/me`). */
export interface SignedInUser {
  id: string;
  email: string;
  first_name: string;
  email_verified: boolean;
  roles: string[];
}

/** A first factor accepted, a second one due (`401 mfa_required`). */
export interface PendingSecondFactor extends MfaChallenge {
  next: string;
}

export interface TotpEnrolment {
  factor_id: string;
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
}

/** A Google sign-in this browser started: the completion must present its state (no login CSRF). */
export interface PendingGoogleSignIn {
  state: string;
  next: string;
  expiresAt: number;
}

export interface ConsoleSessionData {
  csrf?: string;
  tokens?: SessionTokens;
  user?: SignedInUser;
  pendingMfa?: PendingSecondFactor;
  /** One message shown on the next page, then forgotten. */
  flash?: string;
  /** An authenticator app being set up: shown again if the first code is wrong. */
  totpEnrolment?: TotpEnrolment;
  /** The address a password reset was asked for, so the reset form needs only the code. */
  resetEmail?: string;
  pendingGoogle?: PendingGoogleSignIn;
  /** An invitation link's token, held while the invitee signs in or signs up, then accepted. */
  invitationToken?: string;
}

/** The koa-session object, typed as the console uses it. */
export function consoleSession(ctx: Context): ConsoleSessionData {
  return ctx.session as unknown as ConsoleSessionData;
}

/** Reads and forgets the flash message. */
export function takeFlash(ctx: Context): string | undefined {
  const session = consoleSession(ctx);
  const flash = session.flash;
  delete session.flash;
  return flash;
}
