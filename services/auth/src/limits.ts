import type { RateLimiterFactory } from '@merchant-platform/common/rate-limit';
import type { AuthConfig } from './config.js';
import { LOGIN_TTL_MS } from './domain/google-sign-in.js';

export type LimitSettings = Pick<
  AuthConfig,
  | 'RATE_LIMIT_TOKEN_FAILURES_PER_ACCOUNT'
  | 'RATE_LIMIT_TOKEN_FAILURES_PER_IP'
  | 'RATE_LIMIT_TOKEN_WINDOW_SECONDS'
  | 'RATE_LIMIT_TOKEN_FAILURES_PER_EMAIL'
  | 'RATE_LIMIT_TOKEN_EMAIL_WINDOW_SECONDS'
  | 'RATE_LIMIT_EMAILS_PER_HOUR'
  | 'RATE_LIMIT_FORGOT_PER_IP_PER_HOUR'
  | 'RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR'
  | 'RATE_LIMIT_REGISTRATIONS_PER_MINUTE'
  | 'RATE_LIMIT_MFA_FAILURES_PER_USER'
>;

const HOUR = 3600;

/** Every limit auth keeps, by name (the names prefix their keys in the shared table). */
export function authLimits(limiter: RateLimiterFactory, settings: LimitSettings) {
  const tokenWindow = settings.RATE_LIMIT_TOKEN_WINDOW_SECONDS;
  const emailWindow = settings.RATE_LIMIT_TOKEN_EMAIL_WINDOW_SECONDS;
  return {
    signIn: {
      perAccount: limiter({ name: 'token-account', points: settings.RATE_LIMIT_TOKEN_FAILURES_PER_ACCOUNT, durationSeconds: tokenWindow }),
      perIp: limiter({ name: 'token-ip', points: settings.RATE_LIMIT_TOKEN_FAILURES_PER_IP, durationSeconds: tokenWindow }),
      perEmail: limiter({ name: 'token-email', points: settings.RATE_LIMIT_TOKEN_FAILURES_PER_EMAIL, durationSeconds: emailWindow }),
    },
    lockNotices: limiter({ name: 'lock-notice', points: 1, durationSeconds: emailWindow }),
    // A wrong current password is a guess at the account's password: the per-account sign-in budget.
    passwordChecks: limiter({
      name: 'password-check',
      points: settings.RATE_LIMIT_TOKEN_FAILURES_PER_ACCOUNT,
      durationSeconds: tokenWindow,
    }),
    mailsPerHour: limiter({ name: 'mails', points: settings.RATE_LIMIT_EMAILS_PER_HOUR, durationSeconds: HOUR }),
    forgotPerIp: limiter({ name: 'forgot-ip', points: settings.RATE_LIMIT_FORGOT_PER_IP_PER_HOUR, durationSeconds: HOUR }),
    registrations: {
      perIp: limiter({ name: 'register-ip', points: settings.RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR, durationSeconds: HOUR }),
      platformWide: limiter({ name: 'register-all', points: settings.RATE_LIMIT_REGISTRATIONS_PER_MINUTE, durationSeconds: 60 }),
    },
    // Wrong second factors of one user across all their challenges (each challenge allows 5 on its own).
    mfaPerUser: limiter({ name: 'mfa-user', points: settings.RATE_LIMIT_MFA_FAILURES_PER_USER, durationSeconds: tokenWindow }),
    usedGoogleLogins: limiter({ name: 'google-login', points: 1, durationSeconds: LOGIN_TTL_MS / 1000 }),
  };
}
