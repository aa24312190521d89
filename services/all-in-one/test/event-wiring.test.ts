import assert from 'node:assert/strict';
import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { withTransaction } from '@merchant-platform/common/db/transaction-scope';
import type { PlatformEvent } from '@merchant-platform/common/events/event';
import { HttpEventTransport } from '@merchant-platform/common/events/http-transport';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { createMetrics } from '@merchant-platform/common/metrics';
import { SharedSecretAuthenticator } from '@merchant-platform/common/service-auth/shared-secret';
import type { ModuleContext } from '@merchant-platform/common/service-runtime';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { request } from '@merchant-platform/common/testing/http-server';
import { serveModules } from '@merchant-platform/common/testing/test-app';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { createAuthModule, type AuthModule } from '@merchant-platform/auth/app';
import { loadAuthConfig } from '@merchant-platform/auth/config';
import { SigningKeys } from '@merchant-platform/auth/domain/signing-keys';
import { loadEmailConfig } from '@merchant-platform/email/app';
import { createMerchantsModule } from '@merchant-platform/merchants/app';
import { servePlatform } from './platform-harness.js';

const PASSWORD = 'Correct-Horse1!';
const SERVICE_TOKEN = 'event-wiring-test-service-token-0123';
const authSettings = { ...loadAuthConfig({ BCRYPT_COST: '10' }), PASSWORD_PEPPER: 'a-test-pepper-of-at-least-32-characters' };
type EventPage = { items: PlatformEvent[]; next_cursor: string | null };

async function context(db: Database): Promise<ModuleContext> {
  return { db, logger: captureLogs().logger, metrics: createMetrics(), openapi: createOpenApiRegistry() };
}

/** A verified user (verified in the table: these tests are about events, not mail) with a merchant of their own. */
async function userWithMerchant(base: string, db: Database, email: string) {
  const registered = await request(base, 'POST', '/auth/register', {
    json: { email, password: PASSWORD, confirm_password: PASSWORD, first_name: 'Event', last_name: 'Flow' },
  });
  assert.equal(registered.status, 201, registered.text);
  await db.sequelize.query('UPDATE users SET email_verified = ? WHERE id = ?', { replacements: [true, registered.body.user.id] });
  const { access_token } = (await request(base, 'POST', '/auth/token', { json: { email, password: PASSWORD } })).body;
  const merchant = await request(base, 'PUT', '/merchants/me', {
    token: access_token,
    json: { business_name: 'Flow Ltd', address: { line1: '1 Main St', city: 'Springfield', country: 'US' } },
  });
  assert.equal(merchant.status, 201, merchant.text);
  return { id: registered.body.user.id as string, token: access_token as string, merchantId: merchant.body.merchant.id as string };
}

const memberName = async (base: string, user: { token: string; merchantId: string }) =>
  (await request(base, 'GET', `/merchants/${user.merchantId}/members`, { token: user.token })).body.items[0]?.name;

describe("auth's events reach merchants and email", function () {
  this.timeout(60_000);
  let testDb: TestDatabase;
  const cleanups: (() => Promise<unknown>)[] = [];

  before(async () => {
    testDb = await createTestDatabase();
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await testDb.drop();
  });

  it('in all-in-one mode, in-process through the same outbox and relay, within 5 seconds', async () => {
    const server = await servePlatform(testDb.url, {
      auth: authSettings,
      email: loadEmailConfig({ EMAIL_TRANSPORT: 'log', SERVICE_TOKEN }),
    });
    cleanups.push(() => server.close());
    const { db, modules } = server;
    const user = await userWithMerchant(server.url, db, 'inprocess-events@example.com');
    assert.equal((await request(server.url, 'PATCH', '/auth/me', { token: user.token, json: { first_name: 'Renamed' } })).status, 200);
    const started = Date.now();
    await eventually(
      async () => ((await memberName(server.url, user)) === 'Renamed Flow' ? true : undefined),
      'the membership name to follow',
      {
        timeoutMs: 5_000,
      },
    );
    assert.ok(Date.now() - started < 5_000);
    const activity = await request<EventPage>(server.url, 'GET', '/auth/me/activity', { token: user.token });
    assert.ok(activity.body.items.some((e) => e.type === 'user.profile_updated'));
    const merchantEvents = await request<EventPage>(server.url, 'GET', `/merchants/${user.merchantId}/events`, { token: user.token });
    assert.deepEqual(
      merchantEvents.body.items.map((e) => e.type),
      ['merchant.created'],
    );

    // user.deleted (recorded as the data-rights deletion will) reaches both consumers: memberships and mail rows go.
    const auth = modules[0] as AuthModule;
    await withTransaction(db.sequelize, () =>
      auth.events.recorder.record({
        type: 'user.deleted',
        actor: { type: 'user', id: user.id },
        subject: { type: 'user', id: user.id },
        data: {},
        delivery: { email: 'inprocess-events@example.com' },
      }),
    );
    await eventually(async () => {
      const [rows] = await db.sequelize.query('SELECT COUNT(*) AS n FROM email_outbox WHERE recipient = ?', {
        replacements: ['inprocess-events@example.com'],
      });
      const [members] = await db.sequelize.query('SELECT COUNT(*) AS n FROM merchant_memberships WHERE user_id = ?', {
        replacements: [user.id],
      });
      return Number((rows as { n: number }[])[0]!.n) === 0 && Number((members as { n: number }[])[0]!.n) === 0 ? true : undefined;
    }, 'the deleted user’s mail and memberships to go');
  });

  it('as separate services, over HTTP to merchants with the service credential', async () => {
    const authDb = await openDatabase(testDb.url);
    const merchantsDb = await openDatabase(testDb.url);
    const authCtx = await context(authDb);
    const merchantsCtx = await context(merchantsDb);
    const keys = new SigningKeys(SigningKeys.generatePem());
    const merchantsRef: { url?: string } = {};
    const authModule = createAuthModule({
      ...authCtx,
      keys,
      mailer: { send: async () => undefined },
      settings: authSettings,
      eventDelivery: {
        transport: {
          // The URL is known once merchants listens; the HTTP transport does the rest.
          deliver: (consumer, event) =>
            new HttpEventTransport({ consumers: { merchants: merchantsRef.url! }, credential: { token: SERVICE_TOKEN } }).deliver(
              consumer,
              event,
            ),
        },
        consumers: ['merchants'],
      },
    });
    const auth = await serveModules({ modules: [authModule], openapi: authCtx.openapi, logger: authCtx.logger });
    const merchantsModule = createMerchantsModule({
      ...merchantsCtx,
      verifier: authModule.verifier,
      serviceAuthenticator: new SharedSecretAuthenticator(SERVICE_TOKEN),
    });
    const merchants = await serveModules({ modules: [merchantsModule], openapi: merchantsCtx.openapi, logger: merchantsCtx.logger });
    merchantsRef.url = merchants.url;
    authModule.start?.();
    cleanups.push(async () => {
      await Promise.all([auth.close(), merchants.close()]);
      await authModule.stop?.();
      await Promise.all([authDb.close(), merchantsDb.close()]);
    });
    const register = await request(auth.url, 'POST', '/auth/register', {
      json: { email: 'http-events@example.com', password: PASSWORD, confirm_password: PASSWORD, first_name: 'Over', last_name: 'Http' },
    });
    await authDb.sequelize.query('UPDATE users SET email_verified = ? WHERE id = ?', { replacements: [true, register.body.user.id] });
    const { access_token } = (
      await request(auth.url, 'POST', '/auth/token', { json: { email: 'http-events@example.com', password: PASSWORD } })
    ).body;
    const merchant = await request(merchants.url, 'PUT', '/merchants/me', {
      token: access_token,
      json: { business_name: 'Http Ltd', address: { line1: '1 Main St', city: 'Springfield', country: 'US' } },
    });
    assert.equal(merchant.status, 201, merchant.text);
    const user = { token: access_token as string, merchantId: merchant.body.merchant.id as string };
    assert.equal((await request(auth.url, 'PATCH', '/auth/me', { token: access_token, json: { last_name: 'Delivered' } })).status, 200);
    await eventually(async () => ((await memberName(merchants.url, user)) === 'Over Delivered' ? true : undefined), 'the name over HTTP', {
      timeoutMs: 5_000,
    });
  });
});
