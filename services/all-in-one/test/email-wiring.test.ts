import assert from 'node:assert/strict';
import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { createMetrics } from '@merchant-platform/common/metrics';
import type { ModuleContext } from '@merchant-platform/common/service-runtime';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { request, type RunningServer } from '@merchant-platform/common/testing/http-server';
import { SesEmulator } from '@merchant-platform/common/testing/ses-emulator';
import { serveModules } from '@merchant-platform/common/testing/test-app';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { createAuthModule } from '@merchant-platform/auth/app';
import { HttpEmailClient } from '@merchant-platform/common/email-client';
import { SigningKeys } from '@merchant-platform/auth/domain/signing-keys';
import { loadAuthConfig } from '@merchant-platform/auth/config';
import { createEmailModule, loadEmailConfig } from '@merchant-platform/email/app';
import { servePlatform } from './platform-harness.js';

const PASSWORD = 'Correct-Horse1!';
const NEW_PASSWORD = 'Battery-Staple2?';
const SERVICE_TOKEN = 'wiring-test-service-token-0123456789';

const authSettings = { ...loadAuthConfig({ BCRYPT_COST: '10' }), PASSWORD_PEPPER: 'a-test-pepper-of-at-least-32-characters' };
const emailSettings = (ses: SesEmulator) =>
  loadEmailConfig({
    EMAIL_TRANSPORT: 'ses',
    SES_ENDPOINT: ses.endpoint,
    AWS_REGION: 'eu-west-1',
    SERVICE_TOKEN,
    EMAIL_POLL_INTERVAL_MS: '50',
    EMAIL_RETRY_BASE_MS: '50',
    EMAIL_RETRY_MAX_MS: '200',
    SES_TIMEOUT_MS: '2000',
    EMAIL_LEASE_SECONDS: '10',
    EMAIL_SEND_RATE_PER_SECOND: '100',
  });

async function context(db: Database): Promise<ModuleContext & { logs: ReturnType<typeof captureLogs> }> {
  const logs = captureLogs();
  return { db, logger: logs.logger, metrics: createMetrics(), openapi: createOpenApiRegistry(), logs };
}

/** Waits for the emulator to hold a mail to `to` whose subject matches, and returns its 6-digit code. */
async function codeFromInbox(ses: SesEmulator, to: string, subject: RegExp): Promise<string> {
  return eventually(async () => {
    const mail = (await ses.emails()).find((m) => m.destination.to.includes(to) && subject.test(m.subject));
    return (mail?.body.text && /\b(\d{6})\b/.exec(mail.body.text)?.[1]) || undefined;
  }, `a mail to ${to} matching ${subject}`);
}

async function registerVerifyReset(base: string, ses: SesEmulator, email: string) {
  const registered = await request(base, 'POST', '/auth/register', {
    json: { email, password: PASSWORD, confirm_password: PASSWORD, first_name: 'Mail', last_name: 'Flow' },
  });
  assert.equal(registered.status, 201);
  const code = await codeFromInbox(ses, email, /confirm your e-mail/i);
  const verificationMails = (await ses.emails()).filter((m) => m.destination.to.includes(email));
  assert.equal(verificationMails.length, 1, 'exactly one mail to that address');
  assert.match(verificationMails[0]!.body.text ?? '', new RegExp(code));

  const { access_token } = (await request(base, 'POST', '/auth/token', { json: { email, password: PASSWORD } })).body;
  const confirmed = await request(base, 'POST', '/auth/email/verification/confirm', { token: access_token, json: { code } });
  assert.equal(confirmed.status, 200);
  assert.equal(confirmed.body.user.email_verified, true);

  assert.equal((await request(base, 'POST', '/auth/password/forgot', { json: { email } })).status, 202);
  const resetCode = await codeFromInbox(ses, email, /reset/i);
  const reset = await request(base, 'POST', '/auth/password/reset', {
    json: { email, code: resetCode, password: NEW_PASSWORD, confirm_password: NEW_PASSWORD },
  });
  assert.equal(reset.status, 204);
  assert.equal((await request(base, 'POST', '/auth/token', { json: { email, password: NEW_PASSWORD } })).status, 200);
}

describe('auth and merchants mail through the email service and SES', function () {
  this.timeout(60_000);
  let ses: SesEmulator;
  let testDb: TestDatabase;
  const cleanups: (() => Promise<void>)[] = [];

  before(async () => {
    ses = await SesEmulator.start();
    testDb = await createTestDatabase();
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await ses.stop();
    await testDb.drop();
  });

  /** The whole platform as all-in-one mode builds it, on the shared test database and SES emulator. */
  async function startPlatform(): Promise<{ url: string }> {
    const server = await servePlatform(testDb.url, {
      auth: authSettings,
      email: emailSettings(ses),
      consoleUrl: 'https://console.example.com',
    });
    cleanups.push(() => server.close());
    return server;
  }

  it('in all-in-one mode: the register and reset codes arrive through the outbox and SES, and work', async () => {
    const server = await startPlatform();
    await registerVerifyReset(server.url, ses, 'inprocess@example.com');
    const welcome = (await ses.emails()).filter((m) => m.destination.to.includes('inprocess@example.com') && /welcome/i.test(m.subject));
    assert.equal(welcome.length, 1, 'a welcome mail once verified');
  });

  it('in all-in-one mode: a merchant invitation arrives through the outbox and SES, and its token makes the invitee a member', async () => {
    const { url } = await startPlatform();
    const signedIn = async (email: string) => {
      await registerVerifyReset(url, ses, email);
      return (await request(url, 'POST', '/auth/token', { json: { email, password: NEW_PASSWORD } })).body.access_token as string;
    };
    const [owner, invitee] = [await signedIn('inviting-owner@example.com'), await signedIn('invited@example.com')];
    const profile = { business_name: 'Ada’s Bakery', address: { line1: '1 Main St', city: 'Springfield', country: 'US' } };
    const merchant = await request(url, 'PUT', '/merchants/me', { token: owner, json: profile });
    assert.equal(merchant.status, 201);
    const invited = await request(url, 'POST', `/merchants/${merchant.body.merchant.id}/invitations`, {
      token: owner,
      json: { email: 'invited@example.com', role: 'viewer' },
    });
    assert.equal(invited.status, 201);
    const token = await eventually(async () => {
      const mail = (await ses.emailsTo('invited@example.com')).find((m) => /invited/i.test(m.subject));
      return mail?.body.text && /^Invitation token: (\S+)$/m.exec(mail.body.text)?.[1];
    }, 'the invitation mail');
    const joined = await request(url, 'POST', '/merchants/invitations/accept', { token: invitee, json: { token } });
    assert.equal(joined.status, 200);
    assert.deepEqual([joined.body.membership.merchant_id, joined.body.membership.role], [merchant.body.merchant.id, 'viewer']);
  });

  describe('as separate services over HTTP', () => {
    let auth: RunningServer;
    let email: RunningServer;
    let emailDb: Database;

    before(async () => {
      emailDb = await openDatabase(testDb.url);
      const emailCtx = await context(emailDb);
      const emailModule = createEmailModule({ ...emailCtx, config: emailSettings(ses) });
      email = await serveModules({
        modules: [emailModule],
        openapi: emailCtx.openapi,
        logger: emailCtx.logger,
        overrides: { metrics: emailCtx.metrics },
      });
      emailModule.start?.();

      const authDb = await openDatabase(testDb.url);
      const authCtx = await context(authDb);
      const authModule = createAuthModule({
        ...authCtx,
        keys: new SigningKeys(SigningKeys.generatePem()),
        mailer: new HttpEmailClient({ baseUrl: email.url, credential: { token: SERVICE_TOKEN } }),
        settings: authSettings,
      });
      auth = await serveModules({
        modules: [authModule],
        openapi: authCtx.openapi,
        logger: authCtx.logger,
        overrides: { metrics: authCtx.metrics },
      });
      cleanups.push(async () => {
        await auth.close();
        await email.close();
        await emailModule.stop?.();
        await authDb.close();
        await emailDb.close();
      });
    });

    it('the register and reset codes arrive through POST /emails and SES, and work', async () => {
      await registerVerifyReset(auth.url, ses, 'separate@example.com');
    });

    it('a retried hand-over with the same idempotency key sends one mail', async () => {
      const mailer = new HttpEmailClient({ baseUrl: email.url, credential: { token: SERVICE_TOKEN } });
      const mail = { to: 'once@example.com', template: 'welcome' as const, data: { name: 'Once' }, idempotencyKey: 'welcome:once' };
      await mailer.send(mail);
      await mailer.send(mail);
      // Once no hand-over to this address is queued, a duplicate would already have reached SES.
      const rows = await eventually(async () => {
        const [found] = await emailDb.sequelize.query('SELECT status FROM email_outbox WHERE recipient = ?', {
          replacements: ['once@example.com'],
        });
        const statuses = (found as { status: string }[]).map((r) => r.status);
        return statuses.length > 0 && !statuses.includes('queued') ? statuses : undefined;
      }, 'the outbox to have delivered the hand-overs to once@example.com');
      assert.deepEqual(rows, ['sent']);
      assert.equal((await ses.emails()).filter((m) => m.destination.to.includes('once@example.com')).length, 1);
    });

    it('a wrong service token is refused, so nobody else can mail from our address', async () => {
      const res = await request(email.url, 'POST', '/emails', {
        token: 'not-the-service-token-000000',
        json: { to: 'victim@example.com', template: 'welcome', data: { name: 'x' } },
      });
      assert.equal(res.status, 401);
    });
  });

  it('when the email service is unreachable, register still succeeds and forgot-password still answers 202', async () => {
    const db = await openDatabase(testDb.url);
    const ctx = await context(db);
    const module = createAuthModule({
      ...ctx,
      keys: new SigningKeys(SigningKeys.generatePem()),
      mailer: new HttpEmailClient({ baseUrl: 'http://127.0.0.1:9', credential: { token: SERVICE_TOKEN }, timeoutMs: 300 }),
      settings: authSettings,
    });
    const server = await serveModules({ modules: [module], openapi: ctx.openapi, logger: ctx.logger, overrides: { metrics: ctx.metrics } });
    cleanups.push(async () => {
      await server.close();
      await db.close();
    });
    const registered = await request(server.url, 'POST', '/auth/register', {
      json: { email: 'offline@example.com', password: PASSWORD, confirm_password: PASSWORD, first_name: 'Off', last_name: 'Line' },
    });
    assert.equal(registered.status, 201);
    assert.equal((await request(server.url, 'POST', '/auth/password/forgot', { json: { email: 'offline@example.com' } })).status, 202);
    assert.match(ctx.logs.text(), /could not hand the e-mail to the email service/);
    const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
    assert.match(metrics, /auth_email_handoff_failures_total\{template="verify_email"\} 1/);
  });
});
