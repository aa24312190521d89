import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import {
  request,
  type ErrorBody,
  type JsonResponse,
  type RequestOptions,
  type RunningServer,
} from '@merchant-platform/common/testing/http-server';
import { serveModules } from '@merchant-platform/common/testing/test-app';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { createTestTokens } from '@merchant-platform/common/testing/test-tokens';
import { createMerchantsModule, merchantsMigrations } from '../src/app.js';
import type { MerchantView, PublicMerchantView, TokenUserView } from '../src/domain/views.js';

// The bodies the routes answer, from the schemas that document them.
type OwnMerchant = { merchant: MerchantView };
type PublicMerchant = { merchant: PublicMerchantView };
type WhoAmI = { user: TokenUserView; merchant: MerchantView | null };
type HowSignedIn = { message: string; user: TokenUserView };
type MerchantPage = { items: MerchantView[]; next_cursor: string | null };

const MERCHANT_KEYS = [
  'id',
  'user_id',
  'business_name',
  'business_type',
  'phone',
  'website',
  'address',
  'currency',
  'created_at',
  'updated_at',
];
const ADDRESS_KEYS = ['line1', 'line2', 'city', 'region', 'postal_code', 'country'];

const profile = (overrides: Record<string, unknown> = {}) => ({
  business_name: 'Ada’s Bakery 🥐',
  business_type: 'bakery',
  phone: '+14155550123',
  website: 'https://ada.example.com',
  address: { line1: '1 Main St', city: 'Springfield', country: 'us', postal_code: '12345' },
  ...overrides,
});

describe('merchants service', () => {
  let testDb: TestDatabase;
  let db: Database;
  let server: RunningServer;
  const tokens = createTestTokens();
  const logs = captureLogs();

  before(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase(testDb.url);
    await new SchemaMigrator(db, 'merchants', merchantsMigrations).up();
    const openapi = createOpenApiRegistry();
    const module = createMerchantsModule({ db, logger: logs.logger, openapi, verifier: tokens.verifier });
    server = await serveModules({ modules: [module], openapi, logger: logs.logger });
  });
  /** No default body type: every call names what it expects, so a misspelt field fails type-checking. */
  const call = <Body>(method: string, path: string, options?: RequestOptions) => request<Body>(server.url, method, path, options);
  after(async () => {
    await server?.close();
    await db?.close();
    await testDb?.drop();
  });

  describe('PUT /merchants/me', () => {
    it('creates the profile with 201 and exactly the contract fields, then replaces it with 200', async () => {
      const sub = randomUUID();
      const token = tokens.sign({ sub });
      const created = await call<OwnMerchant>('PUT', '/merchants/me', { token, json: profile() });
      assert.equal(created.status, 201);
      assert.deepEqual(Object.keys(created.body), ['merchant']);
      const m = created.body.merchant;
      assert.deepEqual(Object.keys(m).sort(), [...MERCHANT_KEYS].sort());
      assert.deepEqual(Object.keys(m.address).sort(), [...ADDRESS_KEYS].sort());
      assert.equal(m.user_id, sub);
      assert.equal(m.business_name, 'Ada’s Bakery 🥐');
      assert.equal(m.address.country, 'US');
      assert.equal(m.address.line2, null);
      assert.equal(m.currency, 'USD');
      assert.match(m.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

      const replaced = await call<OwnMerchant>('PUT', '/merchants/me', {
        token,
        json: profile({ business_name: 'Ada Ltd', currency: 'eur', phone: null }),
      });
      assert.equal(replaced.status, 200);
      assert.equal(replaced.body.merchant.id, m.id);
      assert.equal(replaced.body.merchant.business_name, 'Ada Ltd');
      assert.equal(replaced.body.merchant.currency, 'EUR');
      assert.equal(replaced.body.merchant.phone, null);
    });

    it('refuses a caller whose email is not verified with 403 email_not_verified', async () => {
      const res = await call<ErrorBody>('PUT', '/merchants/me', { token: tokens.sign({ email_verified: false }), json: profile() });
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'email_not_verified');
    });

    it('ignores user_id and id in the body', async () => {
      const sub = randomUUID();
      const res = await call<OwnMerchant>('PUT', '/merchants/me', {
        token: tokens.sign({ sub }),
        json: { ...profile(), user_id: 'someone-else', id: 'chosen' },
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.merchant.user_id, sub);
      assert.notEqual(res.body.merchant.id, 'chosen');
    });

    it('leaves exactly one row when 20 saves for one user race', async () => {
      const sub = randomUUID();
      const token = tokens.sign({ sub });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          call<OwnMerchant>('PUT', '/merchants/me', { token, json: profile({ business_name: `Shop ${i}` }) }),
        ),
      );
      assert.deepEqual(
        results.filter((r) => ![200, 201].includes(r.status)).map((r) => r.text),
        [],
      );
      assert.equal(results.filter((r) => r.status === 201).length, 1);
      assert.equal(new Set(results.map((r) => r.body.merchant.id)).size, 1);
      const [rows] = await db.sequelize.query('SELECT COUNT(*) AS n FROM merchants WHERE user_id = ?', { replacements: [sub] });
      assert.equal(Number((rows as { n: number }[])[0]!.n), 1);
    });

    it('answers invalid fields with 422 naming each of them', async () => {
      const res = await call<ErrorBody>('PUT', '/merchants/me', {
        token: tokens.sign(),
        json: {
          business_name: '',
          phone: '555-1234',
          website: 'http://insecure.example.com',
          currency: 'XXQ',
          address: { line1: 'x', city: 'y', country: 'XX' },
        },
      });
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, 'validation_failed');
      const paths = res.body.error.details?.map((d) => d.path).sort();
      assert.deepEqual(paths, ['address.country', 'business_name', 'currency', 'phone', 'website']);
    });

    it('never answers hostile input with a 5xx', async () => {
      const token = tokens.sign();
      const bodies: [string, string][] = [
        ['{"business_name":', 'application/json'],
        ['business_name=x', 'application/x-www-form-urlencoded'],
        ['<xml/>', 'application/xml'],
        [JSON.stringify(profile({ business_name: 'x'.repeat(10_000) })), 'application/json'],
        [JSON.stringify(profile({ business_name: 'nul\u0000byte' })), 'application/json'],
        [JSON.stringify(profile({ business_name: 42, address: 'nowhere' })), 'application/json'],
        ['{"__proto__":{"roles":["admin"]},"constructor":{"prototype":{}}}', 'application/json'],
        ['[]', 'application/json'],
        [JSON.stringify({ pad: 'y'.repeat(70_000) }), 'application/json'],
      ];
      for (const [body, type] of bodies) {
        const res = await call<ErrorBody>('PUT', '/merchants/me', { token, body, headers: { 'content-type': type } });
        assert.ok(res.status >= 400 && res.status < 500, `${type} ${body.slice(0, 40)} -> ${res.status}`);
        assert.ok(res.body.error.code, 'the contract error body');
      }
    });
  });

  describe('reading profiles', () => {
    let owner: string;
    let merchantId: string;
    before(async () => {
      owner = randomUUID();
      const res = await call<OwnMerchant>('PUT', '/merchants/me', { token: tokens.sign({ sub: owner }), json: profile() });
      merchantId = res.body.merchant.id;
    });

    it('GET /merchants/me returns the caller’s profile, and 404 when there is none', async () => {
      const mine = await call<OwnMerchant>('GET', '/merchants/me', { token: tokens.sign({ sub: owner }) });
      assert.equal(mine.status, 200);
      assert.equal(mine.body.merchant.id, merchantId);
      const none = await call<ErrorBody>('GET', '/merchants/me', { token: tokens.sign() });
      assert.equal(none.status, 404);
      assert.equal(none.body.error.code, 'not_found');
    });

    it('GET /merchants/{id} shows only the public fields, without a token', async () => {
      const res = await call<PublicMerchant>('GET', `/merchants/${merchantId}`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        merchant: {
          id: merchantId,
          business_name: 'Ada’s Bakery 🥐',
          business_type: 'bakery',
          website: 'https://ada.example.com',
          country: 'US',
        },
      });
      assert.equal((await call<ErrorBody>('GET', '/merchants/no-such-id')).status, 404);
      for (const id of ['%00', 'a%00b', '%1b%5b31m', '%F0%9F%A5%90', `${'x'.repeat(300)}`]) {
        const res = await call<ErrorBody>('GET', `/merchants/${id}`);
        assert.ok([404, 422].includes(res.status), `${id}: ${res.status}`);
        assert.ok(res.body.error.code);
      }
    });

    it('GET /users/me answers from the token plus the caller’s merchant', async () => {
      for (const path of ['/users/me', '/users/me/']) {
        const res = await call<WhoAmI>('GET', path, {
          token: tokens.sign({ sub: owner, email: 'ada@example.com', roles: ['merchant'], name: 'Ada' }),
        });
        assert.equal(res.status, 200, path);
        assert.deepEqual(Object.keys(res.body).sort(), ['merchant', 'user']);
        assert.deepEqual(res.body.user, {
          id: owner,
          email: 'ada@example.com',
          name: 'Ada',
          email_verified: true,
          roles: ['merchant'],
          auth_method: 'password',
        });
        assert.equal(res.body.merchant?.id, merchantId);
      }
      const fresh = await call<WhoAmI>('GET', '/users/me', { token: tokens.sign() });
      assert.equal(fresh.body.merchant, null);
    });

    it('GET /users/auth says how the caller signed in', async () => {
      const google = await call<HowSignedIn>('GET', '/users/auth', { token: tokens.sign({ auth_method: 'google' }) });
      assert.equal(google.status, 200);
      assert.equal(google.body.message, 'Authenticated via google');
      assert.deepEqual(Object.keys(google.body.user).sort(), ['auth_method', 'email', 'email_verified', 'id', 'name', 'roles']);
      const password = await call<HowSignedIn>('GET', '/users/auth', { token: tokens.sign() });
      assert.equal(password.body.message, 'Authenticated via password');
      const passkey = await call<HowSignedIn>('GET', '/users/auth', { token: tokens.sign({ auth_method: 'passkey' }) });
      assert.equal(passkey.body.message, 'Authenticated via passkey');
    });
  });

  describe('GET /merchants (admin)', () => {
    it('pages through every merchant with a cursor, and refuses non-admins with 403', async () => {
      for (let i = 0; i < 5; i++) {
        await call<OwnMerchant>('PUT', '/merchants/me', { token: tokens.sign(), json: profile({ business_name: `Page ${i}` }) });
      }
      const admin = tokens.sign({ roles: ['merchant', 'admin'] });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: JsonResponse<MerchantPage> = await call<MerchantPage>('GET', `/merchants?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
          token: admin,
        });
        assert.equal(res.status, 200);
        assert.ok(res.body.items.length <= 2);
        seen.push(...res.body.items.map((m) => m.id));
        cursor = res.body.next_cursor;
      } while (cursor);
      const [rows] = await db.sequelize.query('SELECT COUNT(*) AS n FROM merchants');
      assert.equal(seen.length, Number((rows as { n: number }[])[0]!.n));
      assert.equal(new Set(seen).size, seen.length);

      const forbidden = await call<ErrorBody>('GET', '/merchants', { token: tokens.sign() });
      assert.equal(forbidden.status, 403);
      assert.equal(forbidden.body.error.code, 'forbidden');
    });

    it('answers a bad limit or cursor with 422', async () => {
      const admin = tokens.sign({ roles: ['admin'] });
      for (const q of ['limit=0', 'limit=101', 'limit=abc', 'cursor=not-a-cursor']) {
        const res = await call<ErrorBody>('GET', `/merchants?${q}`, { token: admin });
        assert.equal(res.status, 422, q);
        assert.equal(res.body.error.code, 'validation_failed');
      }
    });
  });

  describe('authentication', () => {
    it('answers a missing token with 401 unauthenticated and a bad one with 401 invalid_token', async () => {
      const missing = await call<ErrorBody>('GET', '/users/me');
      assert.equal(missing.status, 401);
      assert.equal(missing.body.error.code, 'unauthenticated');
      const garbage = await call<ErrorBody>('GET', '/users/me', { token: 'not.a.jwt' });
      assert.equal(garbage.status, 401);
      assert.equal(garbage.body.error.code, 'invalid_token');
    });
  });
});
