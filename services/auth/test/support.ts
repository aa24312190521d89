import type { z } from 'zod';
import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { createMetrics } from '@merchant-platform/common/metrics';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { request, type JsonResponse, type RequestOptions, type RunningServer } from '@merchant-platform/common/testing/http-server';
import { serveModules } from '@merchant-platform/common/testing/test-app';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { authMigrations, createAuthModule, type AuthModule, type AuthSettings } from '../src/app.js';
import type { EmailTemplate, Mailer, MailRequest } from '../src/domain/mailer.js';
import { SigningKeys } from '../src/domain/signing-keys.js';
import type { TokenPairView, UserView } from '../src/domain/views.js';
import type { Accepted } from '../src/http/schemas.js';

// The bodies the routes answer, from the schemas that document them.
export type UserBody = { user: UserView };
export type UserPage = { items: UserView[]; next_cursor: string | null };
export type AcceptedBody = z.output<typeof Accepted>;
export type { TokenPairView };

/** Keeps every mail auth hands over, so tests read codes the way a user reads their inbox. */
export class InboxMailer implements Mailer {
  readonly sent: MailRequest[] = [];
  failing = false;
  async send(mail: MailRequest): Promise<void> {
    if (this.failing) throw new Error('email service unreachable');
    this.sent.push(mail);
  }
  lastCode(to: string, template: EmailTemplate): string {
    const mail = [...this.sent].reverse().find((m) => m.to === to && m.template === template);
    if (!mail?.data.code) throw new Error(`no ${template} mail to ${to}`);
    return mail.data.code;
  }
  waitForCode(to: string, template: EmailTemplate, timeoutMs = 5000): Promise<string> {
    return eventually(() => this.lastCode(to, template), `a ${template} mail to ${to}`, { timeoutMs, intervalMs: 20 });
  }
}

export const DEFAULT_SETTINGS: AuthSettings = {
  JWT_ISSUER: 'merchant-platform',
  JWT_AUDIENCE: 'merchant-platform',
  ACCESS_TOKEN_TTL_SECONDS: 900,
  REFRESH_TOKEN_TTL_DAYS: 30,
  BCRYPT_COST: 10,
  ADMIN_EMAILS: ['boss@example.com'],
  RATE_LIMIT_TOKEN_FAILURES_PER_ACCOUNT: 10,
  RATE_LIMIT_TOKEN_FAILURES_PER_IP: 100,
  RATE_LIMIT_TOKEN_WINDOW_SECONDS: 900,
  RATE_LIMIT_TOKEN_FAILURES_PER_EMAIL: 50,
  RATE_LIMIT_TOKEN_EMAIL_WINDOW_SECONDS: 3600,
  RATE_LIMIT_EMAILS_PER_HOUR: 3,
  RATE_LIMIT_FORGOT_PER_IP_PER_HOUR: 100,
  RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR: 1000,
  RATE_LIMIT_REGISTRATIONS_PER_MINUTE: 1000,
  RATE_LIMIT_MFA_FAILURES_PER_USER: 10,
  PASSWORD_PEPPER: 'a-test-pepper-of-at-least-32-characters',
  WEBAUTHN_RP_ID: 'localhost',
  WEBAUTHN_ORIGINS: ['http://localhost:8080'],
  WEBAUTHN_RP_NAME: 'Merchant Platform',
};

export const STRONG_PASSWORD = 'Correct-Horse1!';

/** Status counts of a batch of concurrent answers, e.g. { 401: 10, 429: 40 }. */
export function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

export interface AuthHarness {
  url: string;
  /** The suite's database, for commands run beside the service (the admin CLI). */
  databaseUrl: string;
  db: Database;
  module: AuthModule;
  keys: SigningKeys;
  inbox: InboxMailer;
  logs: ReturnType<typeof captureLogs>;
  server: RunningServer;
  close(): Promise<void>;
  /** Route tests name the body they expect (`call<UserBody>`, `call<ErrorBody>`); the `any` default is for off-contract exchanges. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  call<Body = any>(method: string, path: string, options?: RequestOptions): Promise<JsonResponse<Body>>;
  /** Typed as the 201 it usually answers; a test expecting a refusal says `register<ErrorBody>`. */
  register<Body = UserBody>(email: string, extra?: Record<string, unknown>): Promise<JsonResponse<Body>>;
  /** Typed as the token pair it usually answers; a test expecting a refusal says `signIn<ErrorBody>`. */
  signIn<Body = TokenPairView>(email: string, password?: string): Promise<JsonResponse<Body>>;
  /** Registers, verifies the email with the mailed code and signs in. */
  verifiedUser(email: string): Promise<{ id: string; access: string; refresh: string }>;
}

export interface AuthServeOptions {
  /** The signed session cookie (koa-session) main.ts mounts; Google sign-in keeps its login state there. */
  session?: { keys: string[]; secure: boolean };
  /** As TRUST_PROXY=true: the client IP is the last `X-Forwarded-For` hop, so a test can speak from many addresses. */
  trustProxy?: boolean;
}

/** A real auth service (same module and app as production) on a fresh database and loopback port. */
export async function startAuth(settings: Partial<AuthSettings> = {}, serve: AuthServeOptions = {}): Promise<AuthHarness> {
  const testDb: TestDatabase = await createTestDatabase();
  const logs = captureLogs('debug');
  const db = await openDatabase(testDb.url);
  await new SchemaMigrator(db, 'auth', authMigrations).up();
  const keys = new SigningKeys(SigningKeys.generatePem());
  const inbox = new InboxMailer();
  const openapi = createOpenApiRegistry();
  const metrics = createMetrics();
  const module = createAuthModule({
    db,
    logger: logs.logger,
    metrics,
    openapi,
    keys,
    mailer: inbox,
    settings: { ...DEFAULT_SETTINGS, ...settings },
  });
  const server = await serveModules({
    modules: [module],
    openapi,
    logger: logs.logger,
    overrides: { metrics, session: serve.session, trustProxy: serve.trustProxy ?? false },
  });
  const call = <Body>(method: string, path: string, options?: RequestOptions) => request<Body>(server.url, method, path, options);
  const harness: AuthHarness = {
    url: server.url,
    databaseUrl: testDb.url,
    db,
    module,
    keys,
    inbox,
    logs,
    server,
    call,
    close: async () => {
      await server.close();
      await module.stop?.();
      await db.close();
      await testDb.drop();
    },
    register: <Body>(email: string, extra: Record<string, unknown> = {}) =>
      call<Body>('POST', '/auth/register', {
        json: { email, password: STRONG_PASSWORD, confirm_password: STRONG_PASSWORD, first_name: 'Ada', last_name: 'Lovelace', ...extra },
      }),
    signIn: <Body>(email: string, password = STRONG_PASSWORD) => call<Body>('POST', '/auth/token', { json: { email, password } }),
    verifiedUser: async (email) => {
      const registered = await harness.register(email);
      if (registered.status !== 201) throw new Error(`register failed: ${registered.text}`);
      const first = await harness.signIn(email);
      const code = inbox.lastCode(email, 'verify_email');
      const confirmed = await call('POST', '/auth/email/verification/confirm', { token: first.body.access_token, json: { code } });
      if (confirmed.status !== 200) throw new Error(`verify failed: ${confirmed.text}`);
      const signedIn = await harness.signIn(email);
      return { id: registered.body.user.id, access: signedIn.body.access_token, refresh: signedIn.body.refresh_token };
    },
  };
  return harness;
}

/** Exactly the claims of an access token (tokens v2), sorted. */
export const TOKEN_CLAIMS = [
  'amr',
  'aud',
  'auth_method',
  'auth_time',
  'email',
  'email_verified',
  'exp',
  'iat',
  'iss',
  'jti',
  'name',
  'roles',
  'sid',
  'sub',
];
