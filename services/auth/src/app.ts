import { hkdfSync } from 'node:crypto';
import { Counter, Gauge } from 'prom-client';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Database } from '@merchant-platform/common/db/database';
import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import type { ServiceModule } from '@merchant-platform/common/http/app';
import type { Logger } from '@merchant-platform/common/logger';
import type { Metrics } from '@merchant-platform/common/metrics';
import { rateLimiterFactory } from '@merchant-platform/common/rate-limit';
import { createServiceAuthenticator } from '@merchant-platform/common/service-auth/from-config';
import { serviceAuthWithDefaults, type ServiceAuthSettings } from '@merchant-platform/common/service-auth/config';
import type { ServiceAuthenticator } from '@merchant-platform/common/service-auth/service-authenticator';
import { AccessTokenVerifier } from '@merchant-platform/common/tokens/access-token';
import { RevocationList } from '@merchant-platform/common/tokens/revocation-list';
import { RevocationPoller } from '@merchant-platform/common/tokens/revocation-poller';
import { authEventPipeline, securityEventsOf, type AuthEventDelivery } from './auth-events.js';
import type { AuthConfig } from './config.js';
import { authMigrations } from './data/migrations/index.js';
import { defineAuthModels } from './data/models.js';
import { SequelizeOneTimeCodeRepository } from './data/one-time-code-repository.js';
import { SequelizeWebAuthnChallengeRepository } from './data/passkey-challenge-repository.js';
import { SequelizePasskeyCredentialRepository } from './data/passkey-credential-repository.js';
import { definePasskeyModels } from './data/passkey-models.js';
import { SequelizeMfaChallengeRepository } from './data/mfa-challenge-repository.js';
import { defineMfaModels } from './data/mfa-models.js';
import { SequelizeRecoveryCodeRepository } from './data/recovery-code-repository.js';
import { SequelizeTotpFactorRepository } from './data/totp-factor-repository.js';
import { OpenIdGoogleClient } from './data/openid-google-client.js';
import { SequelizeRefreshTokenRepository } from './data/refresh-token-repository.js';
import { SequelizeRevocationRepository } from './data/revocation-repository.js';
import { SequelizeUserRepository } from './data/user-repository.js';
import { SequelizeMailOutbox } from './data/mail-outbox-repository.js';
import { SequelizeUnitOfWork } from './data/transactions.js';
import { SequelizeAccountErasure } from './data/account-erasure-repository.js';
import { AccountDeletion, type OnUserDeleted } from './domain/account-deletion.js';
import { DataExport } from './domain/data-export.js';
import { UnreachableUserDataPeers, type UserDataPeers } from './domain/user-data-peers.js';
import { AccountMail } from './domain/account-mail.js';
import { Accounts } from './domain/accounts.js';
import { AdminMfa } from './domain/admin-mfa.js';
import { AdminUsers } from './domain/admin-users.js';
import { Audit } from './domain/audit.js';
import { EmailChange } from './domain/email-change.js';
import { EmailVerification } from './domain/email-verification.js';
import { GoogleSignIn } from './domain/google-sign-in.js';
import { SignInLockNotice } from './domain/lock-notice.js';
import { MailRelay } from './domain/mail-relay.js';
import type { Mailer } from './domain/mailer.js';
import { MfaChallengeSignIn } from './domain/mfa-challenge-sign-in.js';
import { OneTimeCodes } from './domain/one-time-codes.js';
import { PasswordReset } from './domain/password-reset.js';
import { PasswordSignIn } from './domain/password-sign-in.js';
import { PasswordHasher } from './domain/passwords.js';
import { RecoveryCodes } from './domain/recovery-codes.js';
import { Revocations } from './domain/revocations.js';
import { RoleGrants } from './domain/roles.js';
import { SecondFactors } from './domain/second-factors.js';
import { TotpFactors } from './domain/totp-factors.js';
import { TotpSecretBox } from './domain/totp-secret-box.js';
import { Sessions } from './domain/sessions.js';
import { StepUp } from './domain/step-up.js';
import { PasskeyRegistration } from './domain/passkeys-registration.js';
import { PasskeySignIn } from './domain/passkeys-sign-in.js';
import { WebAuthnCeremonies } from './domain/passkeys-verification.js';
import type { SigningKeys } from './domain/signing-keys.js';
import { TokenIssuer } from './domain/token-issuer.js';
import type { AuthUseCases } from './domain/use-cases.js';
import { authRoutes } from './http/routes/index.js';
import { authLimits, type LimitSettings } from './limits.js';
import { registerAuthMetrics } from './metrics.js';

export type AuthSettings = Pick<
  AuthConfig,
  | 'JWT_ISSUER'
  | 'JWT_AUDIENCE'
  | 'ACCESS_TOKEN_TTL_SECONDS'
  | 'REFRESH_TOKEN_TTL_DAYS'
  | 'BCRYPT_COST'
  | 'ADMIN_EMAILS'
  | 'WEBAUTHN_RP_ID'
  | 'WEBAUTHN_ORIGINS'
  | 'WEBAUTHN_RP_NAME'
> &
  /** Off unless set (all-in-one and tests); auth's own config turns it on in production. */
  Partial<Pick<AuthConfig, 'ADMIN_MFA_REQUIRED'>> &
  LimitSettings &
  /** Required here: main.ts and all-in-one mode supply one outside production too. */
  Required<Pick<AuthConfig, 'PASSWORD_PEPPER'>> &
  /** Google sign-in is off unless client id, secret and redirect URI are all given. */
  Partial<
    Pick<AuthConfig, 'GOOGLE_CLIENT_ID' | 'GOOGLE_CLIENT_SECRET' | 'GOOGLE_REDIRECT_URI' | 'GOOGLE_ISSUER' | 'AUTH_REDIRECT_ALLOWLIST'>
  > &
  /** Without them the internal routes refuse every caller (token mode, no SERVICE_TOKEN). */
  Partial<ServiceAuthSettings> &
  Partial<Pick<AuthConfig, 'REVOCATION_POLL_INTERVAL_MS' | 'STEP_UP_MAX_AGE_SECONDS'>>;

export interface AuthDependencies {
  db: Database;
  logger: Logger;
  metrics: Metrics;
  openapi: OpenAPIRegistry;
  keys: SigningKeys;
  mailer: Mailer;
  settings: AuthSettings;
  /** Who may call the internal routes; defaults to the one `SERVICE_AUTH` selects. */
  serviceAuthenticator?: ServiceAuthenticator;
  /** Merchants and email for a person's export and deletion; without them both answer 503. */
  userDataPeers?: UserDataPeers;
  /** How events reach merchants and email; without it they are only recorded in the audit log. */
  eventDelivery?: AuthEventDelivery;
}

export interface AuthModule extends ServiceModule {
  useCases: AuthUseCases;
  /**
   * Verifies this service's own tokens in-process, revocations included (all-in-one mode hands
   * it to merchants: the same list, fed in-process instead of over HTTP).
   */
  verifier: AccessTokenVerifier;
  /** Auth's event log and recorder (the data-rights work erases a deleted user's data from the log). */
  events: ReturnType<typeof authEventPipeline>;
}

/** The auth service as a module: served alone (main.ts) or beside the others (all-in-one). */
export function createAuthModule(deps: AuthDependencies): AuthModule {
  const { db, settings } = deps;
  const models = defineAuthModels(db.sequelize);
  const users = new SequelizeUserRepository(models.User);
  const events = authEventPipeline(db, deps.logger, deps.eventDelivery);
  const security = events.security;
  const hasher = new PasswordHasher(settings.BCRYPT_COST, settings.PASSWORD_PEPPER);
  const refreshTokens = new SequelizeRefreshTokenRepository(models.RefreshToken);
  const revocations = new Revocations(new SequelizeRevocationRepository(models.Revocation), refreshTokens, {
    accessTtlSeconds: settings.ACCESS_TOKEN_TTL_SECONDS,
  });
  // Auth's own list: fed at once by what this process records, and by polling what other replicas did.
  const revoked = new RevocationList();
  revocations.onRecorded((entry) => revoked.add(entry));
  const poller = new RevocationPoller(revocations, revoked, {
    intervalMs: settings.REVOCATION_POLL_INTERVAL_MS ?? 1_000,
    logger: deps.logger,
  });
  const tokens = new TokenIssuer(
    deps.keys,
    refreshTokens,
    users,
    {
      issuer: settings.JWT_ISSUER,
      audience: settings.JWT_AUDIENCE,
      accessTtlSeconds: settings.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: settings.REFRESH_TOKEN_TTL_DAYS * 86_400,
    },
    security,
  );
  const codes = new OneTimeCodes(
    new SequelizeOneTimeCodeRepository(models.OneTimeCode, db.sequelize),
    derivedKey(deps.keys, 'one-time-code-hmac'),
  );
  const mailFailures = new Counter({
    name: 'auth_email_handoff_failures_total',
    help: 'Failed hand-overs of an e-mail to the email service (each is retried), by template',
    labelNames: ['template'] as const,
    registers: [deps.metrics.registry],
  });
  const outbox = new SequelizeMailOutbox(db.sequelize);
  const relay = new MailRelay(outbox, deps.mailer, deps.logger, mailFailures);
  observeMailOutbox(outbox, deps.metrics);
  registerAuthMetrics(deps.metrics.registry);
  const mail = new AccountMail(codes, outbox, new SequelizeUnitOfWork(db.sequelize), relay);
  const limits = authLimits(rateLimiterFactory(db, 'auth_rate_limits'), settings);
  const lockNotice = new SignInLockNotice(users, mail, limits.lockNotices, deps.logger, security);
  const roles = new RoleGrants(users, settings.ADMIN_EMAILS);

  const passkeyModels = definePasskeyModels(db.sequelize);
  const passkeys = new SequelizePasskeyCredentialRepository(passkeyModels.PasskeyCredential, db.sequelize);
  const challenges = new SequelizeWebAuthnChallengeRepository(passkeyModels.WebAuthnChallenge);
  const ceremonies = new WebAuthnCeremonies({
    id: settings.WEBAUTHN_RP_ID,
    name: settings.WEBAUTHN_RP_NAME,
    origins: settings.WEBAUTHN_ORIGINS,
  });
  const accounts = new Accounts(users, hasher, revocations, mail, limits.registrations, limits.passwordChecks, security);
  const passkeySignIn = new PasskeySignIn(
    users,
    passkeys,
    challenges,
    ceremonies,
    tokens,
    deps.logger,
    derivedKey(deps.keys, 'passkey-decoy-id'),
  );

  // Second factors: their secrets and recovery codes are keyed from the pepper, which never rotates (the signing key may).
  const mfaModels = defineMfaModels(db.sequelize);
  const totpFactors = new SequelizeTotpFactorRepository(mfaModels.TotpFactor);
  const recoveryCodes = new RecoveryCodes(
    new SequelizeRecoveryCodeRepository(mfaModels.RecoveryCode, db.sequelize),
    settings.PASSWORD_PEPPER,
  );
  const secondFactors = new SecondFactors(totpFactors, passkeys, recoveryCodes, security);
  const totp = new TotpFactors(
    totpFactors,
    new TotpSecretBox(settings.PASSWORD_PEPPER),
    users,
    secondFactors,
    recoveryCodes,
    deps.logger,
    settings.WEBAUTHN_RP_NAME,
    security,
  );
  const mfaChallenges = new SequelizeMfaChallengeRepository(mfaModels.MfaChallenge, db.sequelize);
  const mfaSignIn = new MfaChallengeSignIn(
    mfaChallenges,
    secondFactors,
    totp,
    recoveryCodes,
    passkeySignIn,
    users,
    tokens,
    roles,
    limits.mfaPerUser,
    deps.logger,
    security,
  );

  const sessions = new Sessions(refreshTokens, revocations, security);
  const peers = deps.userDataPeers ?? new UnreachableUserDataPeers();
  // In the deletion's transaction: the event (the address travels in the delivery only, for email's
  // erasure), and the user's personal data in auth's own events goes.
  const onUserDeleted: OnUserDeleted = async ({ userId, email }) => {
    await security.record({ type: 'user.deleted', userId, data: {}, delivery: { email } });
    await events.log.eraseUser(userId);
  };
  const useCases: AuthUseCases = {
    accounts,
    signIn: new PasswordSignIn(users, hasher, tokens, limits.signIn, lockNotice.notify, roles, mfaSignIn, security),
    tokens,
    verification: new EmailVerification(users, codes, mail, limits.mailsPerHour, roles, security),
    passwordReset: new PasswordReset(
      users,
      codes,
      mail,
      hasher,
      revocations,
      { perEmailAndIp: limits.mailsPerHour, perIp: limits.forgotPerIp },
      deps.logger,
      security,
    ),
    emailChange: new EmailChange(accounts, users, codes, mail, limits.mailsPerHour, roles, revocations, security),
    sessions,
    stepUp: new StepUp(secondFactors, settings.STEP_UP_MAX_AGE_SECONDS ?? 600),
    admin: new AdminUsers(users, revocations, security),
    passkeyRegistration: new PasskeyRegistration(accounts, passkeys, challenges, ceremonies, deps.logger, security),
    passkeySignIn,
    secondFactors,
    totp,
    mfaSignIn,
    adminMfa: new AdminMfa(users, secondFactors, revocations, settings.ADMIN_MFA_REQUIRED ?? false),
    keys: deps.keys,
    dataExport: new DataExport(users, sessions, secondFactors, peers, (userId) => securityEventsOf(events.log, userId)),
    accountDeletion: new AccountDeletion(
      users,
      new SequelizeAccountErasure(db.sequelize),
      new SequelizeUnitOfWork(db.sequelize),
      revocations,
      peers,
      onUserDeleted,
      deps.logger,
    ),
    audit: new Audit(events.log),
  };
  const google = new GoogleSignIn(
    users,
    tokens,
    googleClient(settings, deps.logger),
    limits.usedGoogleLogins,
    roles,
    { redirectAllowList: settings.AUTH_REDIRECT_ALLOWLIST ?? [] },
    mfaSignIn,
    security,
  );
  const verifier = new AccessTokenVerifier(deps.keys.resolver(), { issuer: settings.JWT_ISSUER, audience: settings.JWT_AUDIENCE }, revoked);
  const migrator = new SchemaMigrator(db, 'auth', authMigrations, deps.logger);
  const services = deps.serviceAuthenticator ?? createServiceAuthenticator(serviceAuthWithDefaults(settings, 'auth'), deps.logger, 'auth');
  return {
    name: 'auth',
    api: authRoutes(deps.openapi, useCases, verifier, google, { revocations, services }),
    readiness: [{ name: 'auth-database', check: () => migrator.assertCurrent() }],
    // Google sign-in keeps its state and nonce in the session cookie between login and callback.
    sessionPaths: ['/auth/google'],
    start: () => {
      poller.start();
      relay.start();
      events.relay?.start();
    },
    stop: async () => {
      // Work a request left running after its answer goes first: it may still hand mail to the relay.
      await useCases.passwordReset.settle();
      await Promise.all([poller.stop(), relay.stop(), events.relay?.stop()]);
    },
    useCases,
    verifier,
    events,
  };
}

/** Outbox gauges, read when Prometheus scrapes: how much mail is owed and for how long. */
function observeMailOutbox(outbox: SequelizeMailOutbox, metrics: Metrics): void {
  type Backlog = { depth: number; oldestCreatedAt: Date | undefined } | undefined;
  let backlog: Promise<Backlog> | undefined;
  // One query per scrape for both gauges; during a database outage they keep their last value.
  const read = () =>
    (backlog ??= outbox
      .backlog()
      .catch((): Backlog => undefined)
      .finally(() => setImmediate(() => (backlog = undefined))));
  new Gauge({
    name: 'auth_mail_outbox_depth',
    help: 'Mails committed by auth and not yet taken by the email service',
    registers: [metrics.registry],
    async collect() {
      const current = await read();
      if (current) this.set(current.depth);
    },
  });
  new Gauge({
    name: 'auth_mail_outbox_oldest_age_seconds',
    help: 'Age of the oldest mail auth still owes the email service',
    registers: [metrics.registry],
    async collect() {
      const current = await read();
      if (current) this.set(current.oldestCreatedAt ? (Date.now() - current.oldestCreatedAt.getTime()) / 1000 : 0);
    },
  });
}

function googleClient(settings: AuthSettings, logger: Logger): OpenIdGoogleClient | undefined {
  const { GOOGLE_CLIENT_ID: clientId, GOOGLE_CLIENT_SECRET: clientSecret, GOOGLE_REDIRECT_URI: redirectUri } = settings;
  if (!clientId || !clientSecret || !redirectUri) return undefined;
  return new OpenIdGoogleClient(
    { issuer: settings.GOOGLE_ISSUER ?? 'https://accounts.google.com', clientId, clientSecret, redirectUri },
    logger,
  );
}

/** HMAC keys (one-time codes, passkey decoys) are derived from the signing key, so no extra secret is needed. */
function derivedKey(keys: SigningKeys, purpose: string): Buffer {
  const secret = keys.privateKey.export({ type: 'pkcs8', format: 'der' });
  return Buffer.from(hkdfSync('sha256', secret, 'merchant-platform', purpose, 32));
}

export { authMigrations };
