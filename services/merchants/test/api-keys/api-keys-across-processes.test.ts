import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { freePort } from '@merchant-platform/common/testing/ports';
import { request } from '@merchant-platform/common/testing/http-server';
import { spawnReadyService } from '@merchant-platform/common/testing/processes';
import { NEEDS_MYSQL, skipBecause } from '@merchant-platform/common/testing/skip';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { createTestTokens } from '@merchant-platform/common/testing/test-tokens';
import { migrate, serveJwks, type RunningService } from '../separate-processes.js';
import { profile } from '../teams/teams-harness.js';
import type { IssuedKey } from './api-keys-harness.js';

const RATE_PER_MINUTE = 5;

/**
 * Two merchants processes on one MySQL database, as two replicas: a key's single roll and its
 * rate limit must hold across them. Tokens are signed by the test and published as a JWKS.
 */
describe('merchant API keys across two merchants processes', function () {
  this.timeout(60_000);
  const tokens = createTestTokens();
  let testDb: TestDatabase | undefined;
  let jwks: Server | undefined;
  const replicas: RunningService[] = [];

  before(async function () {
    if (!process.env.DATABASE_URL?.startsWith('mysql')) skipBecause(this, NEEDS_MYSQL);
    testDb = await createTestDatabase();
    await migrate('merchants', testDb.url);
    const published = await serveJwks(tokens);
    jwks = published.server;
    for (let i = 0; i < 2; i++) {
      const env = {
        DATABASE_URL: testDb.url,
        JWKS_URL: published.url,
        RATE_LIMIT_API_KEY_PER_MINUTE: String(RATE_PER_MINUTE),
        LOG_LEVEL: 'info',
      };
      replicas.push(await spawnReadyService(['services/merchants/src/main.ts'], env, await freePort()));
    }
  });

  after(async () => {
    for (const replica of replicas) {
      replica.child.kill('SIGTERM');
      await replica.exited;
    }
    jwks?.close();
    await testDb?.drop();
  });

  const owner = () =>
    tokens.sign({ sub: 'owner-across', email: 'owner@example.com', amr: ['pwd'], auth_time: Math.floor(Date.now() / 1000) });
  const on = (i: number) => replicas[i % replicas.length]!.base;

  it('lets one of ten rolls spread over both replicas win, and counts a key’s rate over both, never logging its secret', async () => {
    const created = await request<{ merchant: { id: string } }>(on(0), 'PUT', '/merchants/me', { token: owner(), json: profile() });
    assert.equal(created.status, 201, created.text);
    const merchantId = created.body.merchant.id;
    const key = await request<IssuedKey>(on(1), 'POST', `/merchants/${merchantId}/api-keys`, {
      token: owner(),
      json: { name: 'replicated', scopes: ['merchant:read'] },
    });
    assert.equal(key.status, 201, key.text);

    const rolls = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        request<IssuedKey>(on(i), 'POST', `/merchants/${merchantId}/api-keys/${key.body.api_key.id}/roll`, { token: owner(), json: {} }),
      ),
    );
    assert.deepEqual(rolls.map((r) => r.status).sort(), [201, ...Array<number>(9).fill(409)]);
    const successor = rolls.find((r) => r.status === 201)!.body;

    const uses = await Promise.all(
      Array.from({ length: 2 * RATE_PER_MINUTE }, (_, i) =>
        request(on(i), 'GET', `/merchants/${merchantId}/profile`, { token: successor.secret }),
      ),
    );
    assert.deepEqual(uses.map((r) => r.status).sort(), [
      ...Array<number>(RATE_PER_MINUTE).fill(200),
      ...Array<number>(RATE_PER_MINUTE).fill(429),
    ]);

    const output = replicas.map((replica) => replica.output()).join('\n');
    assert.ok(output.length > 0, 'the replicas log their requests');
    for (const secret of [key.body.secret, successor.secret])
      assert.ok(!output.includes(secret.slice(12)), 'a secret appeared in a log line');
  });
});
