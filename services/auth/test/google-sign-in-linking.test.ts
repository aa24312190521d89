import assert from 'node:assert/strict';
import type { ErrorBody } from '@merchant-platform/common/testing/http-server';
import { TOKEN_CLAIMS, claimsOf, googleSignInStage } from './google-sign-in-support.js';
import { STRONG_PASSWORD, type AuthHarness } from './support.js';

describe('Google sign-in: linking to local accounts', () => {
  const stage = googleSignInStage();
  const { googleAccount, signInWithGoogle, count, userRow, me } = stage;
  let auth: AuthHarness;
  before(() => {
    ({ auth } = stage);
  });

  describe('GET /auth/google/callback', () => {
    it('links to the verified local account with the same email and keeps its password, profile and sessions', async () => {
      const local = await auth.verifiedUser('linda@example.com');
      googleAccount('g-linda', { email: 'linda@example.com' });
      const { callback } = await signInWithGoogle('g-linda');
      assert.equal(callback.status, 200, callback.text);
      const claims = claimsOf(callback.body.access_token);
      assert.deepEqual(Object.keys(claims).sort(), TOKEN_CLAIMS);
      assert.equal(claims.sub, local.id);
      assert.equal(claims.email, 'linda@example.com');
      assert.equal(claims.email_verified, true);
      assert.equal(claims.name, 'Ada Lovelace', 'the name the owner chose stays');
      assert.deepEqual(claims.roles, ['merchant']);
      assert.equal(claims.auth_method, 'google');
      const user = await me(callback.body.access_token);
      assert.deepEqual(user, {
        id: local.id,
        email: 'linda@example.com',
        first_name: 'Ada',
        middle_name: null,
        last_name: 'Lovelace',
        profile_picture: null,
        email_verified: true,
        roles: ['merchant'],
        auth_methods: ['password', 'google'],
        created_at: user.created_at,
      });
      assert.equal((await auth.signIn('linda@example.com')).status, 200, 'the password still works');
      assert.equal(
        (await auth.call('POST', '/auth/refresh', { json: { refresh_token: local.refresh } })).status,
        200,
        'earlier sessions live on',
      );
    });

    it('links to an unverified local account only after clearing its password, profile and refresh tokens', async () => {
      // Someone registered the address before its owner arrived, and kept a session.
      const squatted = await auth.register('vera@example.com', { first_name: 'Not', last_name: 'Vera' });
      const squatterSession = (await auth.signIn('vera@example.com')).body;
      googleAccount('g-vera', {
        email: 'vera@example.com',
        given_name: 'Vera',
        family_name: 'Owner',
        name: 'Vera Owner',
        picture: 'https://photos.example/vera.png',
      });

      const { callback } = await signInWithGoogle('g-vera');
      assert.equal(callback.status, 200, callback.text);
      const claims = claimsOf(callback.body.access_token);
      assert.deepEqual(Object.keys(claims).sort(), TOKEN_CLAIMS);
      assert.equal(claims.sub, squatted.body.user.id);
      assert.equal(claims.email, 'vera@example.com');
      assert.equal(claims.email_verified, true);
      assert.equal(claims.name, 'Vera Owner');
      assert.deepEqual(claims.roles, ['merchant']);
      assert.equal(claims.auth_method, 'google');
      const user = await me(callback.body.access_token);
      assert.deepEqual(user, {
        id: squatted.body.user.id,
        email: 'vera@example.com',
        first_name: 'Vera',
        middle_name: null,
        last_name: 'Owner',
        profile_picture: 'https://photos.example/vera.png',
        email_verified: true,
        roles: ['merchant'],
        auth_methods: ['google'],
        created_at: squatted.body.user.created_at,
      });

      const oldPassword = await auth.signIn<ErrorBody>('vera@example.com');
      assert.equal(oldPassword.status, 401);
      assert.equal(oldPassword.body.error.code, 'invalid_credentials');
      const oldSession = await auth.call('POST', '/auth/refresh', { json: { refresh_token: squatterSession.refresh_token } });
      assert.equal(oldSession.status, 401);
      assert.equal(oldSession.body.error.code, 'invalid_token');
      assert.equal((await userRow('vera@example.com'))!.password_hash, null);
    });

    it('never links an unverified Google email to the account that has it: 409 conflict, nothing created or changed', async () => {
      const local = await auth.verifiedUser('owner@example.com');
      const before = await userRow('owner@example.com');
      const users = await count('SELECT COUNT(*) AS n FROM users');
      const tokens = await count('SELECT COUNT(*) AS n FROM refresh_tokens');
      googleAccount('g-pretender', { email: 'owner@example.com', email_verified: false });

      const { callback } = await signInWithGoogle('g-pretender');
      assert.equal(callback.status, 409);
      assert.deepEqual(callback.body, {
        error: {
          code: 'conflict',
          message: 'An account with this email exists and Google has not verified the address, so they cannot be linked.',
        },
      });
      assert.deepEqual(await userRow('owner@example.com'), before, 'the account is untouched');
      assert.equal(await count('SELECT COUNT(*) AS n FROM users'), users, 'no account created');
      assert.equal(await count('SELECT COUNT(*) AS n FROM refresh_tokens'), tokens, 'no session issued');
      assert.equal(await count('SELECT COUNT(*) AS n FROM users WHERE google_subject = ?', 'g-pretender'), 0);
      assert.equal((await auth.signIn('owner@example.com')).status, 200);
      assert.deepEqual((await me(local.access)).auth_methods, ['password']);
    });
  });

  it('lets a Google user add a password through forgot/reset, and both ways keep working', async () => {
    googleAccount('g-pw', { email: 'pw@example.com', given_name: 'Pat', family_name: 'Word', name: 'Pat Word' });
    const first = await signInWithGoogle('g-pw');
    assert.equal(first.callback.status, 200);
    assert.equal((await auth.call('POST', '/auth/password/forgot', { json: { email: 'pw@example.com' } })).status, 202);
    const code = await auth.inbox.waitForCode('pw@example.com', 'password_reset');
    const reset = await auth.call('POST', '/auth/password/reset', {
      json: { email: 'pw@example.com', code, password: STRONG_PASSWORD, confirm_password: STRONG_PASSWORD },
    });
    assert.equal(reset.status, 204, reset.text);

    const withPassword = await auth.signIn('pw@example.com');
    assert.equal(withPassword.status, 200);
    const claims = claimsOf(withPassword.body.access_token);
    assert.equal(claims.auth_method, 'password');
    assert.equal(claims.email_verified, true);
    assert.equal(claims.name, 'Pat Word');
    assert.deepEqual(claims.roles, ['merchant']);
    const user = await me(withPassword.body.access_token);
    assert.deepEqual(user.auth_methods, ['password', 'google']);

    const again = await signInWithGoogle('g-pw');
    assert.equal(again.callback.status, 200);
    assert.equal(claimsOf(again.callback.body.access_token).sub, user.id);
    assert.equal(claimsOf(again.callback.body.access_token).auth_method, 'google');
  });
});
