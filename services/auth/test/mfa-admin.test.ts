import { assertError } from '@merchant-platform/common/testing/http-server';
import assert from 'node:assert/strict';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { startAuth, type AuthHarness } from './support.js';
import { currentCode, mfaToken, totpUser, verify } from './totp-support.js';

/** A verified account made admin straight in the database, as `npm run admin -- promote` would. */
async function promote(auth: AuthHarness, id: string): Promise<void> {
  await auth.db.sequelize.query("UPDATE users SET roles = 'merchant,admin' WHERE id = ?", { replacements: [id] });
}

describe('admins and second factors', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth({ ADMIN_MFA_REQUIRED: true });
  });
  after(() => auth.close());

  it('with ADMIN_MFA_REQUIRED, refuses an admin token without a second factor with 403 mfa_enrollment_required and accepts one with it', async () => {
    const admin = await totpUser(auth, 'mfa-admin@example.com');
    await promote(auth, admin.id);
    const passwordOnly = await auth.call('GET', '/auth/users', { token: admin.access });
    assert.equal(passwordOnly.status, 403);
    assert.equal(passwordOnly.body.error.code, 'mfa_enrollment_required');

    const signedIn = await verify(auth, { mfa_token: await mfaToken(auth, 'mfa-admin@example.com'), code: currentCode(admin.secret, 1) });
    assert.equal(signedIn.status, 200, signedIn.text);
    assert.equal((await auth.call('GET', '/auth/users', { token: signedIn.body.access_token })).status, 200);
  });

  it('resets a user’s factors and recovery codes, ends their sessions, and answers 404 for an unknown user', async () => {
    const admin = await totpUser(auth, 'resetting-admin@example.com');
    await promote(auth, admin.id);
    const adminToken = (
      await verify(auth, { mfa_token: await mfaToken(auth, 'resetting-admin@example.com'), code: currentCode(admin.secret, 1) })
    ).body.access_token;
    const user = await totpUser(auth, 'lost-phone@example.com');
    assert.equal((await auth.call('GET', '/auth/me', { token: user.access })).status, 200);

    const reset = await auth.call('DELETE', `/auth/users/${user.id}/mfa`, { token: adminToken });
    assert.equal(reset.status, 204, reset.text);
    await eventually(
      async () => ((await auth.call('GET', '/auth/me', { token: user.access })).status === 401 ? true : undefined),
      'the user’s access token to die',
    );
    assertError(await auth.call('POST', '/auth/refresh', { json: { refresh_token: user.refresh } }), 401, 'invalid_token');
    const signIn = await auth.signIn('lost-phone@example.com');
    assert.equal(signIn.status, 200, 'the password alone signs in again');
    // Revocations count whole seconds: a token from the second of the reset dies with it, so sign in until one lives.
    const { access, factors } = await eventually(async () => {
      const fresh = await auth.signIn('lost-phone@example.com');
      const res = await auth.call('GET', '/auth/mfa/factors', { token: fresh.body.access_token });
      return res.status === 200 ? { access: fresh.body.access_token as string, factors: res.body } : undefined;
    }, 'a token issued after the reset');
    assert.deepEqual(factors, { items: [] });
    const [rows] = await auth.db.sequelize.query('SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ?', { replacements: [user.id] });
    assert.equal(Number((rows as { n: number }[])[0]!.n), 0);

    const unknown = await auth.call('DELETE', '/auth/users/00000000-0000-4000-8000-000000000000/mfa', { token: adminToken });
    assertError(unknown, 404, 'not_found');
    const notAdmin = await auth.call('DELETE', `/auth/users/${admin.id}/mfa`, { token: access });
    assertError(notAdmin, 403, 'forbidden');
  });
});
