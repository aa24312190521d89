import { assertError } from '@merchant-platform/common/testing/http-server';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnNode } from '@merchant-platform/common/testing/processes';
import { startAuth, type AuthHarness } from './support.js';

const CLI = 'services/auth/src/cli/admin.ts';

/** Runs `npm run admin -- <args>` as its own process and collects what it said. */
async function admin(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const run = spawnNode([CLI, '--', ...args], env);
  const code = await run.exited;
  return { code, output: run.output() };
}

describe('the admin command (npm run admin -- promote <email>)', function () {
  this.timeout(60_000);
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth();
  });
  after(() => auth.close());

  it('makes an existing account an admin, ends its sessions, and its next sign-in can use the admin API', async () => {
    const first = await auth.verifiedUser('first@example.com');
    assertError(await auth.call('GET', '/auth/users', { token: first.access }), 403, 'forbidden');

    const run = await admin(['promote', 'First@Example.com'], { DATABASE_URL: auth.databaseUrl });
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /first@example\.com is now an admin/);

    assertError(await auth.call('POST', '/auth/refresh', { json: { refresh_token: first.refresh } }), 401, 'invalid_token');
    const again = await auth.signIn('first@example.com');
    assert.deepEqual(JSON.parse(Buffer.from(again.body.access_token.split('.')[1]!, 'base64url').toString()).roles, ['merchant', 'admin']);
    assert.equal((await auth.call('GET', '/auth/users', { token: again.body.access_token })).status, 200);

    const twice = await admin(['promote', 'first@example.com'], { DATABASE_URL: auth.databaseUrl });
    assert.equal(twice.code, 0, twice.output);
    assert.match(twice.output, /already an admin/);
  });

  it('says that no account has an unknown email and exits 1', async () => {
    const run = await admin(['promote', 'ghost@example.com'], { DATABASE_URL: auth.databaseUrl });
    assert.equal(run.code, 1);
    assert.match(run.output, /No account has the email ghost@example\.com/);
  });

  it('explains a missing DATABASE_URL (78), a database that is not there (69) and wrong arguments (64)', async () => {
    const noUrl = await admin(['promote', 'first@example.com'], {});
    assert.equal(noUrl.code, 78);
    assert.match(noUrl.output, /DATABASE_URL/);

    const dir = mkdtempSync(join(tmpdir(), 'mp-admin-cli-'));
    try {
      const missing = await admin(['promote', 'first@example.com'], { DATABASE_URL: `sqlite:${join(dir, 'nothing.sqlite')}` });
      assert.equal(missing.code, 69);
      assert.match(missing.output, /No database at/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const usage = await admin(['demote', 'first@example.com'], { DATABASE_URL: auth.databaseUrl });
    assert.equal(usage.code, 64);
    assert.match(usage.output, /usage: npm run admin -- promote <email>/);
  });
});
