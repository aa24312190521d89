import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from '@merchant-platform/common/testing/http-server';
import { refusedWithin, verifiedAccount } from '@merchant-platform/common/testing/platform-accounts';
import { startAuthAndMerchants, type RunningService } from './separate-processes.js';

const PASSWORD = 'Correct-Horse1!';
const sidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).sid as string;

describe('ended sessions reach merchants over HTTP (auth and merchants as separate processes)', function () {
  this.timeout(90_000);
  let running: Awaited<ReturnType<typeof startAuthAndMerchants>> | undefined;
  let auth: RunningService;
  let merchants: RunningService;

  before(async () => {
    running = await startAuthAndMerchants(randomBytes(24).toString('base64url'));
    ({ auth, merchants } = running);
  });
  after(() => running?.stop());

  const signIn = async (email: string) =>
    (await request(auth.base, 'POST', '/auth/token', { json: { email, password: PASSWORD } })).body.access_token as string;
  const usersMe = (token: string) => () => request(merchants.base, 'GET', '/users/me', { token });

  it("refuses an ended session's access token in merchants within 5 seconds, and only that session's", async () => {
    const user = await verifiedAccount(auth.base, auth.output, 'two-devices@example.com');
    const other = await signIn('two-devices@example.com');
    assert.equal((await usersMe(other)()).status, 200);
    const ended = await request(auth.base, 'DELETE', `/auth/sessions/${sidOf(other)}`, { token: user.access });
    assert.equal(ended.status, 204);
    const refused = await refusedWithin(usersMe(other), 5_000);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, 'invalid_token');
    assert.equal((await usersMe(user.access)()).status, 200);
  });

  it("refuses every other session in merchants within 5 seconds after a password change, keeping the caller's", async () => {
    const user = await verifiedAccount(auth.base, auth.output, 'changer@example.com');
    const other = await signIn('changer@example.com');
    const NEW = 'Another-Horse2!';
    const changed = await request(auth.base, 'PUT', '/auth/password', {
      token: user.access,
      json: { current_password: PASSWORD, password: NEW, confirm_password: NEW },
    });
    assert.equal(changed.status, 204);
    assert.equal((await refusedWithin(usersMe(other), 5_000)).body.error.code, 'invalid_token');
    assert.equal((await usersMe(user.access)()).status, 200);
  });

  it('refuses every session in merchants within 5 seconds after logout-all', async () => {
    const user = await verifiedAccount(auth.base, auth.output, 'leaver@example.com');
    const other = await signIn('leaver@example.com');
    assert.equal((await request(auth.base, 'POST', '/auth/logout-all', { token: user.access })).status, 204);
    for (const token of [user.access, other]) assert.equal((await refusedWithin(usersMe(token), 5_000)).status, 401);
  });
});
