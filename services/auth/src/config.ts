import { z } from 'zod';
import {
  booleanFromEnv,
  databaseUrl,
  httpEnvShape,
  jwtVerifyEnvShape,
  listFromEnv,
  loadConfig,
  requireInProduction,
  requireWhen,
  type Env,
} from '@merchant-platform/common/config';
import { checkServiceAuthConfig, serviceAuthEnvShape } from '@merchant-platform/common/service-auth/config';
import { webAuthnEnvShape, webAuthnIsValid, withWebAuthnDefaults } from './webauthn-config.js';

/** Every variable auth reads; all-in-one mode builds its schema from this too. */
export const authEnvShape = {
  ...httpEnvShape,
  JWT_ISSUER: jwtVerifyEnvShape.JWT_ISSUER,
  JWT_AUDIENCE: jwtVerifyEnvShape.JWT_AUDIENCE,
  DATABASE_URL: databaseUrl.optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_PRIVATE_KEY_FILE: z.string().optional(),
  /** PEM public keys of retired signing keys, kept in the JWKS until their tokens expire. */
  JWT_RETIRED_PUBLIC_KEYS: z.string().optional(),
  /** PEM public key of the next signing key during a rotation: published in the JWKS, not yet signing. */
  JWT_NEXT_PUBLIC_KEY: z.string().optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  SESSION_KEYS: listFromEnv.optional(),
  /** Who may call auth's internal routes (the revocation feed); in token mode, SERVICE_TOKEN is also what auth presents to email. */
  ...serviceAuthEnvShape('auth'),
  /** Where a projected ServiceAccount token is mounted (Kubernetes); what auth presents to email instead of SERVICE_TOKEN. */
  SERVICE_TOKEN_FILE: z.string().optional(),
  /** How often auth's own revocation list reads the revocations other replicas recorded. */
  REVOCATION_POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  EMAIL_SERVICE_URL: z.url().optional(),
  /** merchants' cluster-internal address: auth delivers the user events merchants acts on to its `/internal/events`, and asks it for a person's data (export) and whether they may delete their account. */
  MERCHANTS_SERVICE_URL: z.url().optional(),
  /** Kubernetes: the projected token (audience `merchants`) auth presents to merchants; SERVICE_TOKEN(_FILE) otherwise. */
  MERCHANTS_SERVICE_TOKEN_FILE: z.string().optional(),
  ADMIN_EMAILS: listFromEnv.default([]).transform((list) => list.map((e) => e.toLowerCase())),
  BCRYPT_COST: z.coerce.number().int().min(10).max(15).default(12),
  /** How old a sign-in may be for the routes the contract marks *recent* (step-up). */
  STEP_UP_MAX_AGE_SECONDS: z.coerce.number().int().min(30).max(86_400).default(600),
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  GOOGLE_REDIRECT_URI: z.url().optional(),
  GOOGLE_ISSUER: z.url().default('https://accounts.google.com'),
  AUTH_REDIRECT_ALLOWLIST: listFromEnv.default([]),
  RATE_LIMIT_TOKEN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_TOKEN_FAILURES_PER_IP: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_TOKEN_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60),
  /** Failed sign-ins for one email from every client together; the owner is e-mailed when it trips. */
  RATE_LIMIT_TOKEN_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).default(50),
  RATE_LIMIT_TOKEN_EMAIL_WINDOW_SECONDS: z.coerce.number().int().min(1).default(3600),
  RATE_LIMIT_EMAILS_PER_HOUR: z.coerce.number().int().min(1).default(3),
  /** Forgot-password requests from one client network, whatever the email. */
  RATE_LIMIT_FORGOT_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_REGISTRATIONS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** Wrong second-factor codes for one user, over all their sign-in challenges, per RATE_LIMIT_TOKEN_WINDOW_SECONDS. */
  RATE_LIMIT_MFA_FAILURES_PER_USER: z.coerce.number().int().min(1).default(10),
  /** Admin routes refuse a token whose sign-in had no second factor (403 `mfa_enrollment_required`); default true in production. */
  ADMIN_MFA_REQUIRED: booleanFromEnv.optional(),
  /** The HMAC key passwords are condensed with before bcrypt: a stolen table alone cannot be guessed at. */
  PASSWORD_PEPPER: z.string().min(32).optional(),
  ...webAuthnEnvShape,
};

export const authConfigSchema = z
  .object(authEnvShape)
  .superRefine(
    requireInProduction([
      'DATABASE_URL',
      'SESSION_KEYS',
      'EMAIL_SERVICE_URL',
      'MERCHANTS_SERVICE_URL',
      'PASSWORD_PEPPER',
      ['JWT_PRIVATE_KEY', 'JWT_PRIVATE_KEY_FILE'],
    ]),
  )
  .superRefine(googleSignInIsComplete)
  .superRefine(checkServiceAuthConfig)
  .superRefine(webAuthnIsValid)
  // What auth presents to email; after checkServiceAuthConfig, so token mode names the stricter SERVICE_TOKEN rule.
  .superRefine(requireInProduction([['SERVICE_TOKEN', 'SERVICE_TOKEN_FILE']]))
  // A projected token has one audience: the one for email cannot be shown to merchants (the shared secret can).
  .superRefine(
    requireWhen(
      {
        holds: (c) => c.SERVICE_TOKEN_FILE !== undefined && c.MERCHANTS_SERVICE_URL !== undefined,
        described: 'SERVICE_TOKEN_FILE and MERCHANTS_SERVICE_URL are set',
      },
      [['MERCHANTS_SERVICE_TOKEN_FILE', 'SERVICE_TOKEN']],
    ),
  )
  .transform(withWebAuthnDefaults)
  .transform((config) => ({ ...config, ADMIN_MFA_REQUIRED: config.ADMIN_MFA_REQUIRED ?? config.NODE_ENV === 'production' }));

export type AuthConfig = z.output<typeof authConfigSchema>;

const GOOGLE_CLIENT_VARIABLES = ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET', 'GOOGLE_REDIRECT_URI'] as const;

/**
 * Google sign-in is on only with all three client variables; a partial set is a mistake worth
 * failing the start for rather than a silently disabled sign-in. In production every URL the
 * flow trusts (provider, callback, allowed redirects) must be https. Exported for all-in-one's schema.
 */
export function googleSignInIsComplete(
  config: { NODE_ENV: string; GOOGLE_ISSUER: string; AUTH_REDIRECT_ALLOWLIST: string[] } & Partial<
    Record<(typeof GOOGLE_CLIENT_VARIABLES)[number], string>
  >,
  ctx: z.RefinementCtx,
) {
  const set = GOOGLE_CLIENT_VARIABLES.filter((name) => config[name] !== undefined);
  if (set.length > 0 && set.length < GOOGLE_CLIENT_VARIABLES.length) {
    for (const name of GOOGLE_CLIENT_VARIABLES.filter((n) => config[n] === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `is required when ${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} set (Google sign-in)`,
      });
    }
  }
  config.AUTH_REDIRECT_ALLOWLIST.forEach((entry, index) => {
    if (!/^https?:\/\/[^/?#]+/.test(entry) || !URL.canParse(entry)) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_REDIRECT_ALLOWLIST', index], message: 'must be an absolute http(s) URL prefix' });
    }
  });
  if (config.NODE_ENV !== 'production') return;
  const mustBeHttps: [string, string | undefined][] = [
    ['GOOGLE_ISSUER', config.GOOGLE_ISSUER],
    ['GOOGLE_REDIRECT_URI', config.GOOGLE_REDIRECT_URI],
    ...config.AUTH_REDIRECT_ALLOWLIST.map((entry): [string, string] => ['AUTH_REDIRECT_ALLOWLIST', entry]),
  ];
  for (const [name, value] of mustBeHttps) {
    if (value !== undefined && !value.startsWith('https://')) {
      ctx.addIssue({ code: 'custom', path: [name], message: 'must be an https:// URL when NODE_ENV=production' });
    }
  }
}

export const loadAuthConfig = (env?: Env) => loadConfig(authConfigSchema, env);
