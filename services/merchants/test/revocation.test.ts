import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from '@merchant-platform/common/testing/http-server';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { refusedWithin, verifiedAccount } from '@merchant-platform/common/testing/platform-accounts';
import { freePort } from '@merchant-platform/common/testing/ports';
import { spawnReadyService } from '@merchant-platform/common/testing/processes';
import { startAuthAndMerchants, type RunningService } from './separate-processes.js';

const PROFILE = { business_name: 'Soon Gone Ltd', address: { line1: '1 Main St', city: 'Springfield', country: 'US' } };

describe('revocation reaches merchants over HTTP (auth and merchants as separate processes)', function () {
  this.timeout(90_000);
  const serviceToken = randomBytes(24).toString('base64url');
  let running: Awaited<ReturnType<typeof startAuthAndMerchants>> | undefined;
  let auth: RunningService;
  let merchants: RunningService;

  before(async () => {
    running = await startAuthAndMerchants(serviceToken, { ADMIN_EMAILS: 'chief@example.com' });
    ({ auth, merchants } = running);
  });
  after(() => running?.stop());

  it("refuses a disabled user's PUT /merchants/me within 5 seconds, with 401 invalid_token", async () => {
    const chief = await verifiedAccount(auth.base, auth.output, 'chief@example.com');
    const user = await verifiedAccount(auth.base, auth.output, 'leaving@example.com');
    assert.equal((await request(merchants.base, 'PUT', '/merchants/me', { token: user.access, json: PROFILE })).status, 201);

    const disabled = await request(auth.base, 'PATCH', `/auth/users/${user.id}`, { token: chief.access, json: { disabled: true } });
    assert.equal(disabled.status, 200, disabled.text);
    const refused = await refusedWithin(
      () => request(merchants.base, 'PUT', '/merchants/me', { token: user.access, json: PROFILE }),
      5_000,
    );
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, 'invalid_token');
    // Only the revoked user is refused.
    assert.equal((await request(merchants.base, 'GET', '/merchants/me', { token: chief.access })).status, 404);
  });

  it('serves the feed only to a service credential, and never through a user token', async () => {
    const feed = await request(auth.base, 'GET', '/internal/revocations', { token: serviceToken });
    assert.equal(feed.status, 200);
    assert.deepEqual(Object.keys(feed.body).sort(), ['has_more', 'items', 'next_cursor']);
    assert.ok(feed.body.items.every((item: Record<string, unknown>) => item.kind === 'user' && typeof item.revoked_before === 'string'));
    assert.equal((await request(auth.base, 'GET', '/internal/revocations', { token: 'not-the-service-token-at-all' })).status, 401);
    assert.equal((await request(auth.base, 'GET', '/internal/revocations?after=x')).status, 401, 'credentials are checked before input');
    const bad = await request(auth.base, 'GET', '/internal/revocations?after=-1', { token: serviceToken });
    assert.equal(bad.status, 422);
  });

  it('logs an unreachable feed once and keeps serving meanwhile', async () => {
    const port = await freePort();
    const lonely = await spawnReadyService(
      ['services/merchants/src/main.ts'],
      {
        DATABASE_URL: running!.testDb.url,
        JWKS_URL: `${auth.base}/auth/.well-known/jwks.json`,
        AUTH_INTERNAL_URL: `http://127.0.0.1:${await freePort()}`,
        SERVICE_TOKEN: serviceToken,
        REVOCATION_POLL_INTERVAL_MS: '100',
        LOG_LEVEL: 'info',
      },
      port,
    );
    try {
      await eventually(() => (lonely.output().includes('revocation feed unreachable') ? true : undefined), 'the outage to be logged');
      // Ten more polls fail in the meantime; the outage is still one line.
      const polls = Date.now() + 1_000;
      await eventually(() => (Date.now() >= polls ? true : undefined), 'ten more failed polls');
      assert.equal(lonely.output().split('revocation feed unreachable').length - 1, 1);
      assert.equal((await request(lonely.base, 'GET', '/merchants/00000000-0000-0000-0000-000000000000')).status, 404);
    } finally {
      lonely.child.kill('SIGTERM');
      await lonely.exited;
    }
  });
});
