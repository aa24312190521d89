import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { createMetrics } from '@merchant-platform/common/metrics';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { request, type JsonResponse, type RunningServer } from '@merchant-platform/common/testing/http-server';
import { serveModules } from '@merchant-platform/common/testing/test-app';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { authMigrations, createAuthModule, type AuthModule, type AuthSettings } from '../src/app.js';
import type { EmailTemplate, Mailer, MailRequest } from '../src/domain/mailer.js';
import { SigningKeys } from '../src/domain/signing-keys.js';

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
  async waitForCode(to: string, template: EmailTemplate, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return this.lastCode(to, template);
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
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
  call(method: string, path: string, options?: Parameters<typeof request>[3]): Promise<JsonResponse>;
  register(email: string, extra?: Record<string, unknown>): Promise<JsonResponse>;
  signIn(email: string, password?: string): Promise<JsonResponse>;
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
  const server = await serveModules({ modules: [module], openapi, logger: logs.logger, overrides: { metrics, session: serve.session, trustProxy: serve.trustProxy ?? false } });
  const call = (method: string, path: string, options?: Parameters<typeof request>[3]) => request(server.url, method, path, options);
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
      await db.close();
      await testDb.drop();
    },
    register: (email, extra = {}) =>
      call('POST', '/auth/register', {
        json: { email, password: STRONG_PASSWORD, confirm_password: STRONG_PASSWORD, first_name: 'Ada', last_name: 'Lovelace', ...extra },
      }),
    signIn: (email, password = STRONG_PASSWORD) => call('POST', '/auth/token', { json: { email, password } }),
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
