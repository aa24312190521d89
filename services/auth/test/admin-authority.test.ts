import { assertError } from '@merchant-platform/common/testing/http-server';
import assert from 'node:assert/strict';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { startAuth, type AuthHarness } from './support.js';

/**
 * Tokens carry whole seconds (`iat`), so one issued in the same second as a revocation cannot be
 * told from one issued just before it and is refused too; a sign-in after a revocation waits for
 * the next second.
 */
async function nextSecond(): Promise<void> {
  const next = Math.floor(Date.now() / 1000) + 1;
  await eventually(() => (Date.now() / 1000 >= next ? true : undefined), 'the next second');
}

/** A verified account made admin straight in the database, as `npm run admin -- promote` would. */
async function adminAccount(auth: AuthHarness, email: string) {
  const account = await auth.verifiedUser(email);
  await auth.db.sequelize.query("UPDATE users SET roles = 'merchant,admin' WHERE id = ?", { replacements: [account.id] });
  const signedIn = await auth.signIn(email);
  return { ...account, access: signedIn.body.access_token as string, refresh: signedIn.body.refresh_token as string };
}

describe('admin authority comes from the database, not the token', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth();
  });
  after(() => auth.close());

  it('refuses a disabled admin whose token is still valid with 403 account_disabled', async () => {
    const admin = await adminAccount(auth, 'disabled-admin@example.com');
    assert.equal((await auth.call('GET', '/auth/users', { token: admin.access })).status, 200);
    // Disabled behind this process's back (another replica, an operator): no revocation has reached it.
    await auth.db.sequelize.query('UPDATE users SET disabled = ? WHERE id = ?', { replacements: [true, admin.id] });
    const res = await auth.call('GET', '/auth/users', { token: admin.access });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'account_disabled');
  });

  it('refuses a demoted admin whose token still says admin with 403 forbidden', async () => {
    const admin = await adminAccount(auth, 'demoted-admin@example.com');
    const victim = await auth.verifiedUser('victim@example.com');
    await auth.db.sequelize.query("UPDATE users SET roles = 'merchant' WHERE id = ?", { replacements: [admin.id] });
    const res = await auth.call('PATCH', `/auth/users/${victim.id}`, { token: admin.access, json: { disabled: true } });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'forbidden');
    assert.equal((await auth.signIn('victim@example.com')).status, 200, 'the victim was not disabled');
  });

  it('lets nobody change their own disabled flag or roles: 403 forbidden, nothing changed', async () => {
    const admin = await adminAccount(auth, 'self@example.com');
    for (const json of [{ disabled: true }, { disabled: false }, { roles: ['merchant'] }, { roles: ['merchant', 'admin'] }]) {
      const res = await auth.call('PATCH', `/auth/users/${admin.id}`, { token: admin.access, json });
      assert.equal(res.status, 403, JSON.stringify(json));
      assert.equal(res.body.error.code, 'forbidden');
    }
    const me = await auth.call('GET', '/auth/me', { token: admin.access });
    assert.deepEqual(me.body.user.roles, ['merchant', 'admin']);
  });

  it('a role change revokes the user’s refresh tokens and access tokens; the new roles come with the next sign-in', async () => {
    const admin = await adminAccount(auth, 'boss-of-roles@example.com');
    const other = await adminAccount(auth, 'other-admin@example.com');
    const demoted = await auth.call('PATCH', `/auth/users/${other.id}`, { token: admin.access, json: { roles: ['merchant'] } });
    assert.equal(demoted.status, 200);
    assert.deepEqual(demoted.body.user.roles, ['merchant']);

    assertError(await auth.call('POST', '/auth/refresh', { json: { refresh_token: other.refresh } }), 401, 'invalid_token');
    const old = await auth.call('GET', '/auth/users', { token: other.access });
    assert.equal(old.status, 401);
    assert.equal(old.body.error.code, 'invalid_token');

    await nextSecond();
    const fresh = (await auth.signIn('other-admin@example.com')).body.access_token;
    assertError(await auth.call('GET', '/auth/users', { token: fresh }), 403, 'forbidden');
  });

  it('setting the roles a user already has ends none of their sessions', async () => {
    const admin = await adminAccount(auth, 'steady@example.com');
    const user = await auth.verifiedUser('unchanged@example.com');
    const res = await auth.call('PATCH', `/auth/users/${user.id}`, { token: admin.access, json: { roles: ['merchant'] } });
    assert.equal(res.status, 200);
    assert.equal((await auth.call('POST', '/auth/refresh', { json: { refresh_token: user.refresh } })).status, 200);
  });

  it('keeps the revocation feed to services: 401 without a credential or with a user token, and out of the OpenAPI document', async () => {
    const res = await auth.call('GET', '/internal/revocations');
    assertError(res, 401, 'unauthenticated');
    const admin = await adminAccount(auth, 'feed-reader@example.com');
    assertError(await auth.call('GET', '/internal/revocations', { token: admin.access }), 401, 'invalid_token');
    const doc = await auth.call('GET', '/openapi.json');
    assert.equal(doc.body.paths['/internal/revocations'], undefined, 'internal routes stay out of the public document');
  });
});
