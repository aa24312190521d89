import { hkdfSync } from 'node:crypto';
import { Counter } from 'prom-client';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Database } from '@merchant-platform/common/db/database';
import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import type { ServiceModule } from '@merchant-platform/common/http/app';
import type { Logger } from '@merchant-platform/common/logger';
import type { Metrics } from '@merchant-platform/common/metrics';
import { rateLimiterFactory } from '@merchant-platform/common/rate-limit';
import { AccessTokenVerifier } from '@merchant-platform/common/tokens/access-token';
import type { AuthConfig } from './config.js';
import { authMigrations } from './data/migrations/index.js';
import { defineAuthModels } from './data/models.js';
import { SequelizeOneTimeCodeRepository } from './data/one-time-code-repository.js';
import { SequelizeWebAuthnChallengeRepository } from './data/passkey-challenge-repository.js';
import { SequelizePasskeyCredentialRepository } from './data/passkey-credential-repository.js';
import { definePasskeyModels } from './data/passkey-models.js';
import { OpenIdGoogleClient } from './data/openid-google-client.js';
import { SequelizeRefreshTokenRepository } from './data/refresh-token-repository.js';
import { SequelizeUserRepository } from './data/user-repository.js';
import { AccountMail } from './domain/account-mail.js';
import { Accounts } from './domain/accounts.js';
import { AdminUsers } from './domain/admin-users.js';
import { EmailVerification } from './domain/email-verification.js';
import { GoogleSignIn, LOGIN_TTL_MS } from './domain/google-sign-in.js';
import type { Mailer } from './domain/mailer.js';
import { OneTimeCodes } from './domain/one-time-codes.js';
import { PasswordReset } from './domain/password-reset.js';
import { PasswordSignIn } from './domain/password-sign-in.js';
import { PasswordHasher } from './domain/passwords.js';
import { PasskeyRegistration } from './domain/passkeys-registration.js';
import { PasskeySignIn } from './domain/passkeys-sign-in.js';
import { WebAuthnCeremonies } from './domain/passkeys-verification.js';
import type { SigningKeys } from './domain/signing-keys.js';
import { TokenIssuer } from './domain/token-issuer.js';
import type { AuthUseCases } from './domain/use-cases.js';
import { authRoutes } from './http/routes/index.js';

export type AuthSettings = Pick<
  AuthConfig,
  | 'JWT_ISSUER'
  | 'JWT_AUDIENCE'
  | 'ACCESS_TOKEN_TTL_SECONDS'
  | 'REFRESH_TOKEN_TTL_DAYS'
  | 'BCRYPT_COST'
  | 'ADMIN_EMAILS'
  | 'RATE_LIMIT_TOKEN_FAILURES_PER_ACCOUNT'
  | 'RATE_LIMIT_TOKEN_FAILURES_PER_IP'
  | 'RATE_LIMIT_TOKEN_WINDOW_SECONDS'
  | 'RATE_LIMIT_EMAILS_PER_HOUR'
  | 'WEBAUTHN_RP_ID'
  | 'WEBAUTHN_ORIGINS'
  | 'WEBAUTHN_RP_NAME'
> &
  /** Google sign-in is off unless client id, secret and redirect URI are all given. */
  Partial<Pick<AuthConfig, 'GOOGLE_CLIENT_ID' | 'GOOGLE_CLIENT_SECRET' | 'GOOGLE_REDIRECT_URI' | 'GOOGLE_ISSUER' | 'AUTH_REDIRECT_ALLOWLIST'>>;

export interface AuthDependencies {
  db: Database;
  logger: Logger;
  metrics: Metrics;
  openapi: OpenAPIRegistry;
  keys: SigningKeys;
  mailer: Mailer;
  settings: AuthSettings;
}

export interface AuthModule extends ServiceModule {
  useCases: AuthUseCases;
  /** Verifies this service's own tokens in-process (all-in-one mode hands it to merchants). */
  verifier: AccessTokenVerifier;
}

/** The auth service as a module: served alone (main.ts) or beside the others (all-in-one). */
export function createAuthModule(deps: AuthDependencies): AuthModule {
  const { db, settings } = deps;
  const models = defineAuthModels(db.sequelize);
  const users = new SequelizeUserRepository(models.User);
  const hasher = new PasswordHasher(settings.BCRYPT_COST);
  const tokens = new TokenIssuer(deps.keys, new SequelizeRefreshTokenRepository(models.RefreshToken), users, {
    issuer: settings.JWT_ISSUER,
    audience: settings.JWT_AUDIENCE,
    accessTtlSeconds: settings.ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlSeconds: settings.REFRESH_TOKEN_TTL_DAYS * 86_400,
  });
  const codes = new OneTimeCodes(new SequelizeOneTimeCodeRepository(models.OneTimeCode, db.sequelize), derivedKey(deps.keys, 'one-time-code-hmac'));
  const mailFailures = new Counter({
    name: 'auth_email_handoff_failures_total',
    help: 'E-mails auth could not hand to the email service, by template',
    labelNames: ['template'] as const,
    registers: [deps.metrics.registry],
  });
  const mail = new AccountMail(codes, deps.mailer, deps.logger, mailFailures);
  const limiter = rateLimiterFactory(db, 'auth_rate_limits');
  const tokenWindow = settings.RATE_LIMIT_TOKEN_WINDOW_SECONDS;
  const mailsPerHour = limiter({ name: 'mails', points: settings.RATE_LIMIT_EMAILS_PER_HOUR, durationSeconds: 3600 });

  const passkeyModels = definePasskeyModels(db.sequelize);
  const passkeys = new SequelizePasskeyCredentialRepository(passkeyModels.PasskeyCredential, db.sequelize);
  const challenges = new SequelizeWebAuthnChallengeRepository(passkeyModels.WebAuthnChallenge);
  const ceremonies = new WebAuthnCeremonies({ id: settings.WEBAUTHN_RP_ID, name: settings.WEBAUTHN_RP_NAME, origins: settings.WEBAUTHN_ORIGINS });
  const accounts = new Accounts(users, hasher, tokens, mail);

  const useCases: AuthUseCases = {
    accounts,
    signIn: new PasswordSignIn(users, hasher, tokens, {
      perAccount: limiter({ name: 'token-account', points: settings.RATE_LIMIT_TOKEN_FAILURES_PER_ACCOUNT, durationSeconds: tokenWindow }),
      perIp: limiter({ name: 'token-ip', points: settings.RATE_LIMIT_TOKEN_FAILURES_PER_IP, durationSeconds: tokenWindow }),
    }),
    tokens,
    verification: new EmailVerification(users, codes, mail, mailsPerHour, settings.ADMIN_EMAILS),
    passwordReset: new PasswordReset(users, codes, mail, hasher, tokens, mailsPerHour, deps.logger),
    admin: new AdminUsers(users, tokens),
    passkeyRegistration: new PasskeyRegistration(accounts, passkeys, challenges, ceremonies, deps.logger),
    passkeySignIn: new PasskeySignIn(users, passkeys, challenges, ceremonies, tokens, deps.logger, derivedKey(deps.keys, 'passkey-decoy-id')),
    keys: deps.keys,
  };
  const usedGoogleLogins = limiter({ name: 'google-login', points: 1, durationSeconds: LOGIN_TTL_MS / 1000 });
  const google = new GoogleSignIn(users, tokens, googleClient(settings, deps.logger), usedGoogleLogins, {
    redirectAllowList: settings.AUTH_REDIRECT_ALLOWLIST ?? [],
    adminEmails: settings.ADMIN_EMAILS,
  });
  const verifier = new AccessTokenVerifier(deps.keys.resolver(), { issuer: settings.JWT_ISSUER, audience: settings.JWT_AUDIENCE });
  const migrator = new SchemaMigrator(db, 'auth', authMigrations, deps.logger);
  return {
    name: 'auth',
    api: authRoutes(deps.openapi, useCases, verifier, google),
    readiness: [{ name: 'auth-database', check: () => migrator.assertCurrent() }],
    useCases,
    verifier,
  };
}

function googleClient(settings: AuthSettings, logger: Logger): OpenIdGoogleClient | undefined {
  const { GOOGLE_CLIENT_ID: clientId, GOOGLE_CLIENT_SECRET: clientSecret, GOOGLE_REDIRECT_URI: redirectUri } = settings;
  if (!clientId || !clientSecret || !redirectUri) return undefined;
  return new OpenIdGoogleClient({ issuer: settings.GOOGLE_ISSUER ?? 'https://accounts.google.com', clientId, clientSecret, redirectUri }, logger);
}

/** HMAC keys (one-time codes, passkey decoys) are derived from the signing key, so no extra secret is needed. */
function derivedKey(keys: SigningKeys, purpose: string): Buffer {
  const secret = keys.privateKey.export({ type: 'pkcs8', format: 'der' });
  return Buffer.from(hkdfSync('sha256', secret, 'merchant-platform', purpose, 32));
}

export { authMigrations };
