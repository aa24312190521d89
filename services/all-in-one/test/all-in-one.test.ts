import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { request } from '@merchant-platform/common/testing/http-server';
import { freePort } from '@merchant-platform/common/testing/ports';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { refusedWithin, verifiedAccount } from '@merchant-platform/common/testing/platform-accounts';
import { spawnNode, spawnReadyService } from '@merchant-platform/common/testing/processes';
import { startStandInGoogle } from '../../auth/test/google-stand-in.js';

const PASSWORD = 'Correct-Horse1!';
const MAIN = 'services/all-in-one/src/main.ts';

/** Starts `services/all-in-one/src/main.ts` as its own process, as `npm run dev` would (from source). */
function startPlatform(env: Record<string, string>) {
  return spawnNode([MAIN], { LOG_LEVEL: 'info', BCRYPT_COST: '10', HOST: '127.0.0.1', ...env });
}

/** Starts the platform on a fresh port (on MySQL when the suite runs there) and waits until it is ready. */
async function startReady(dataDir: string, testDb: TestDatabase, extraEnv: Record<string, string> = {}) {
  const port = await freePort();
  const env: Record<string, string> = { BCRYPT_COST: '10', LOG_LEVEL: 'info', DATA_DIR: dataDir, ...extraEnv };
  if (testDb.dialect === 'mysql') env.DATABASE_URL = testDb.url;
  return { ...(await spawnReadyService([MAIN], env, port)), port };
}

describe('all-in-one mode', function () {
  this.timeout(60_000);
  let dataDir: string;
  let testDb: TestDatabase;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mp-aio-'));
    testDb = await createTestDatabase();
  });
  after(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await testDb.drop();
  });

  it('serves the whole walk-through from one process: register, code on the console, verify, token, /users/me, merchant profile', async () => {
    const platform = await startReady(dataDir, testDb);
    const { base, port } = platform;
    try {
      // The console's address comes first: it is where a person starts.
      assert.match(platform.output(), new RegExp(`is up \\(all-in-one, \\w+\\)\\.\n  Console: http://127\\.0\\.0\\.1:${port}/\n`));
      assert.match(platform.output(), new RegExp(`Docs: +http://127\\.0\\.0\\.1:${port}/docs`));

      const registered = await request(base, 'POST', '/register', {
        json: { email: 'walk@example.com', password: PASSWORD, confirm_password: PASSWORD, first_name: 'Walk', last_name: 'Through' },
      });
      assert.equal(registered.status, 201);
      const code = await eventually(() => /verification code is: (\d{6})/.exec(platform.output())?.[1], 'the code on the console');

      const form = (body: Record<string, string>) => ({
        body: new URLSearchParams(body).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      const first = await request(
        base,
        'POST',
        '/token',
        form({ grant_type: 'password', username: 'walk@example.com', password: PASSWORD }),
      );
      assert.equal(first.status, 200);
      const verified = await request(base, 'POST', '/auth/email/verification/confirm', { token: first.body.access_token, json: { code } });
      assert.equal(verified.status, 200);
      const refreshed = await request(base, 'POST', '/auth/refresh', { json: { refresh_token: first.body.refresh_token } });
      assert.equal(refreshed.status, 200);
      const token = refreshed.body.access_token;

      const saved = await request(base, 'PUT', '/merchants/me', {
        token,
        json: { business_name: 'Walk Shop', address: { line1: '1 High St', city: 'Leeds', country: 'GB' }, currency: 'GBP' },
      });
      assert.equal(saved.status, 201);
      const me = await request(base, 'GET', '/users/me', { token });
      assert.equal(me.status, 200);
      assert.equal(me.body.user.email, 'walk@example.com');
      assert.equal(me.body.user.email_verified, true);
      assert.equal(me.body.merchant.business_name, 'Walk Shop');

      const doc = await request(base, 'GET', '/openapi.json');
      for (const path of ['/auth/register', '/auth/token', '/merchants/me', '/users/me', '/auth/.well-known/jwks.json']) {
        assert.ok(doc.body.paths[path], `${path} is documented`);
      }
      assert.equal((await fetch(`${base}/docs/`)).status, 200);
      assert.equal((await request(base, 'GET', '/healthz')).status, 200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.match(metrics, /http_request_duration_seconds/);
      // Merchants' webhook queue gauges join the shared registry too: nothing is queued yet.
      assert.match(metrics, /^merchant_webhook_queue_depth 0$/m);
      assert.match(metrics, /^merchant_webhook_queue_oldest_age_seconds 0$/m);

      platform.child.kill('SIGTERM');
      assert.equal(await platform.exited, 0, 'a clean shutdown on SIGTERM');
    } finally {
      platform.child.kill('SIGKILL');
    }
  });

  it("with Google configured, the console offers it and auth allows the console's completion page as redirect_to", async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const google = await startStandInGoogle(`${base}/auth/google/callback`);
    const env: Record<string, string> = {
      DATA_DIR: dataDir,
      GOOGLE_CLIENT_ID: google.clientId,
      GOOGLE_CLIENT_SECRET: google.clientSecret,
      GOOGLE_REDIRECT_URI: `${base}/auth/google/callback`,
      GOOGLE_ISSUER: google.issuer,
    };
    if (testDb.dialect === 'mysql') env.DATABASE_URL = testDb.url;
    const platform = await spawnReadyService([MAIN], env, port);
    try {
      const signIn = await fetch(`${base}/sign-in`);
      assert.match(await signIn.text(), /href="\/sign-in\/google\?next=%2Faccount">Sign in with Google</);
      const start = await fetch(`${base}/sign-in/google`, { redirect: 'manual' });
      const login = new URL(start.headers.get('location')!, base);
      assert.equal(login.pathname, '/auth/google/login');
      assert.match(login.searchParams.get('redirect_to')!, new RegExp(`^${base}/sign-in/google/complete\\?state=[\\w-]{32}$`));
      // No AUTH_REDIRECT_ALLOWLIST was given: all-in-one allows its own console's completion page.
      const toGoogle = await fetch(login, { redirect: 'manual' });
      assert.equal(toGoogle.status, 302, await toGoogle.text());
      assert.ok(toGoogle.headers.get('location')!.startsWith(`${google.issuer}/auth?`));
    } finally {
      platform.child.kill('SIGKILL');
      await google.close();
    }
  });

  it("refuses a disabled user's PUT /merchants/me within 5 seconds", async () => {
    const platform = await startReady(dataDir, testDb, { ADMIN_EMAILS: 'aio-chief@example.com' });
    try {
      const chief = await verifiedAccount(platform.base, platform.output, 'aio-chief@example.com');
      const user = await verifiedAccount(platform.base, platform.output, 'aio-leaving@example.com');
      const profile = { business_name: 'Soon Gone Ltd', address: { line1: '1 Main St', city: 'Leeds', country: 'GB' } };
      assert.equal((await request(platform.base, 'PUT', '/merchants/me', { token: user.access, json: profile })).status, 201);
      const disabled = await request(platform.base, 'PATCH', `/auth/users/${user.id}`, { token: chief.access, json: { disabled: true } });
      assert.equal(disabled.status, 200, disabled.text);
      const refused = await refusedWithin(
        () => request(platform.base, 'PUT', '/merchants/me', { token: user.access, json: profile }),
        5_000,
      );
      assert.equal(refused.status, 401);
      assert.equal(refused.body.error.code, 'invalid_token');
    } finally {
      platform.child.kill('SIGKILL');
      await platform.exited;
    }
  });

  it('keeps its generated secrets under DATA_DIR with mode 0600 and reuses them after a restart', async () => {
    for (const name of ['jwt-private-key.pem', 'session-key', 'service-token']) {
      const mode = statSync(join(dataDir, name)).mode & 0o777;
      assert.equal(mode, 0o600, `${name} is ${mode.toString(8)}`);
    }
    const platform = await startReady(dataDir, testDb);
    const { base } = platform;
    try {
      const signIn = await request(base, 'POST', '/auth/token', { json: { email: 'walk@example.com', password: PASSWORD } });
      assert.equal(signIn.status, 200, 'the account survived the restart');
    } finally {
      platform.child.kill('SIGKILL');
    }
  });

  it('exits non-zero with one message listing every configuration problem', async () => {
    const platform = startPlatform({ PORT: 'eighty', BCRYPT_COST: '99', DATABASE_URL: 'postgres://nope', DATA_DIR: dataDir });
    const code = await platform.exited;
    assert.equal(code, 78);
    const output = platform.output();
    assert.match(output, /Invalid configuration/);
    for (const variable of ['PORT', 'BCRYPT_COST', 'DATABASE_URL']) assert.match(output, new RegExp(`${variable}:`));
  });

  it('refuses to generate secrets in production', async () => {
    const platform = startPlatform({
      NODE_ENV: 'production',
      PORT: String(await freePort()),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'mp-prod-')),
    });
    assert.notEqual(await platform.exited, 0);
    assert.match(platform.output(), /JWT_PRIVATE_KEY: is required when NODE_ENV=production/);
    assert.match(platform.output(), /SESSION_KEYS: is required/);
  });
});
