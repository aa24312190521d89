import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { passkeyUser, signInWithPasskey } from './passkeys-support.js';
import { startAuth, type AuthHarness } from './support.js';

describe('step-up: routes marked recent need a fresh (multi-factor) sign-in', function () {
  this.timeout(60_000);
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth();
  });
  after(() => auth.close());

  /** The same token re-signed with other claims, as one issued at another time would be. */
  const reissued = (token: string, changes: Record<string, unknown>, drop: string[] = []) => {
    const claims: Record<string, unknown> = { ...(jwt.decode(token) as jwt.JwtPayload), ...changes };
    for (const name of drop) delete claims[name];
    return jwt.sign(claims, auth.keys.privateKey, { algorithm: 'RS256', keyid: auth.keys.kid });
  };
  const passkeyOptions = (token: string) => auth.call('POST', '/auth/passkeys/registration/options', { token });

  it('lets a fresh password sign-in through when the user has no second factor', async () => {
    const user = await auth.verifiedUser('fresh@example.com');
    assert.equal((await passkeyOptions(user.access)).status, 200);
  });

  it('answers 401 step_up_required to a sign-in older than STEP_UP_MAX_AGE_SECONDS, and to a v1 token without auth_time', async () => {
    const user = await auth.verifiedUser('stale@example.com');
    const now = Math.floor(Date.now() / 1000);
    const stale = reissued(user.access, { auth_time: now - 601 });
    const res = await passkeyOptions(stale);
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'step_up_required');
    assert.equal((await auth.call('GET', '/auth/me', { token: stale })).status, 200, 'routes not marked recent still answer');
    assert.equal((await passkeyOptions(reissued(user.access, { auth_time: now - 590 }))).status, 200);
    const v1 = await passkeyOptions(reissued(user.access, {}, ['auth_time', 'amr', 'sid']));
    assert.equal(v1.body.error.code, 'step_up_required');
  });

  it('needs mfa or hwk in amr once the user has a confirmed factor, however fresh the sign-in', async () => {
    const user = await passkeyUser(auth, 'factored@example.com');
    const passkey = await signInWithPasskey(auth, user.authenticator);
    assert.deepEqual((jwt.decode(passkey.body.access_token) as { amr: string[] }).amr, ['hwk']);
    // A password sign-in of this user now stops at mfa_required, so a fresh password-only token is minted here.
    const passwordOnly = reissued(passkey.body.access_token, { amr: ['pwd'], auth_method: 'password' });
    const refused = await passkeyOptions(passwordOnly);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, 'step_up_required');
    assert.equal((await passkeyOptions(passkey.body.access_token)).status, 200);
    const secondFactor = reissued(passkey.body.access_token, { amr: ['pwd', 'otp', 'mfa'], auth_method: 'password' });
    assert.equal((await passkeyOptions(secondFactor)).status, 200);
  });

  it('keeps the refresh from renewing a sign-in: a refreshed stale session still needs step-up', async () => {
    const user = await auth.verifiedUser('renewer@example.com');
    const sid = (jwt.decode(user.access) as { sid: string }).sid;
    await auth.db.sequelize.query('UPDATE refresh_tokens SET auth_time = ? WHERE family_id = ?', {
      replacements: [new Date(Date.now() - 3_600_000), sid],
    });
    const refreshed = await auth.call('POST', '/auth/refresh', { json: { refresh_token: user.refresh } });
    assert.equal((await passkeyOptions(refreshed.body.access_token)).body.error.code, 'step_up_required');
  });

  it('documents step_up_required among the 401s of the recent routes', async () => {
    const doc = await auth.call('GET', '/openapi.json');
    for (const path of ['/auth/passkeys/registration/options', '/auth/email/change']) {
      assert.match(doc.body.paths[path].post.responses['401'].description, /step_up_required/);
    }
  });
});
