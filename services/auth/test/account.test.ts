import { assertError } from '@merchant-platform/common/testing/http-server';
import assert from 'node:assert/strict';
import type { ErrorBody, JsonResponse } from '@merchant-platform/common/testing/http-server';
import {
  startAuth,
  STRONG_PASSWORD,
  type AuthHarness,
  type AcceptedBody,
  type TokenPairView,
  type UserBody,
  type UserPage,
} from './support.js';

const NEW_PASSWORD = 'Battery-Staple2?';

describe('the signed-in account', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth();
  });
  after(() => auth.close());

  describe('GET and PATCH /auth/me', () => {
    it('returns the user and changes only the names and picture it is given', async () => {
      const { access } = await auth.verifiedUser('me@example.com');
      const me = await auth.call<UserBody>('GET', '/auth/me', { token: access });
      assert.equal(me.status, 200);
      assert.equal(me.body.user.email, 'me@example.com');
      assert.equal(me.body.user.email_verified, true);

      const patched = await auth.call<UserBody>('PATCH', '/auth/me', {
        token: access,
        json: {
          first_name: 'Augusta',
          middle_name: 'Ada',
          profile_picture: 'https://cdn.example.com/ada.png',
          email: 'evil@example.com',
          roles: ['admin'],
        },
      });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.user.first_name, 'Augusta');
      assert.equal(patched.body.user.middle_name, 'Ada');
      assert.equal(patched.body.user.last_name, 'Lovelace');
      assert.equal(patched.body.user.profile_picture, 'https://cdn.example.com/ada.png');
      assert.equal(patched.body.user.email, 'me@example.com');
      assert.deepEqual(patched.body.user.roles, ['merchant']);

      const cleared = await auth.call<UserBody>('PATCH', '/auth/me', { token: access, json: { middle_name: null, profile_picture: null } });
      assert.equal(cleared.body.user.middle_name, null);
      assert.equal(cleared.body.user.profile_picture, null);
      assert.equal(cleared.body.user.first_name, 'Augusta');
    });

    it('rejects a picture that is not an https URL with 422', async () => {
      const { access } = await auth.verifiedUser('pic@example.com');
      for (const profile_picture of ['http://example.com/a.png', 'javascript:alert(1)', 'not a url']) {
        const res = await auth.call<ErrorBody>('PATCH', '/auth/me', { token: access, json: { profile_picture } });
        assert.equal(res.status, 422, profile_picture);
        assert.equal(res.body.error.details?.[0]?.path, 'profile_picture');
      }
    });
  });

  describe('PUT /auth/password', () => {
    it("changes the password and ends every other session, keeping the caller's", async () => {
      const { access, refresh } = await auth.verifiedUser('change@example.com');
      const other = await auth.signIn('change@example.com');
      const res = await auth.call<undefined>('PUT', '/auth/password', {
        token: access,
        json: { current_password: STRONG_PASSWORD, password: NEW_PASSWORD, confirm_password: NEW_PASSWORD },
      });
      assert.equal(res.status, 204);
      assertError(await auth.signIn('change@example.com'), 401, 'invalid_credentials');
      assert.equal((await auth.signIn('change@example.com', NEW_PASSWORD)).status, 200);
      assert.equal((await auth.call('POST', '/auth/refresh', { json: { refresh_token: other.body.refresh_token } })).status, 401);
      assert.equal((await auth.call('GET', '/auth/me', { token: other.body.access_token })).status, 401);
      assert.equal((await auth.call('GET', '/auth/me', { token: access })).status, 200);
      assert.equal((await auth.call('POST', '/auth/refresh', { json: { refresh_token: refresh } })).status, 200);
    });

    it('answers a wrong current password with 401 invalid_credentials and a weak new one with 422', async () => {
      const { access } = await auth.verifiedUser('change2@example.com');
      const wrong = await auth.call<ErrorBody>('PUT', '/auth/password', {
        token: access,
        json: { current_password: 'Wrong-Horse1!', password: NEW_PASSWORD, confirm_password: NEW_PASSWORD },
      });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.code, 'invalid_credentials');
      const weak = await auth.call<ErrorBody>('PUT', '/auth/password', {
        token: access,
        json: { current_password: STRONG_PASSWORD, password: 'weak', confirm_password: 'weak' },
      });
      assert.equal(weak.status, 422);
      assert.equal(weak.body.error.code, 'weak_password');
    });
  });

  describe('email verification', () => {
    it('verifies with the mailed code, then refuses a second verification with 409', async () => {
      await auth.register('verify@example.com');
      const { access_token } = (await auth.signIn('verify@example.com')).body;
      const code = auth.inbox.lastCode('verify@example.com', 'verify_email');
      const res = await auth.call<UserBody>('POST', '/auth/email/verification/confirm', { token: access_token, json: { code } });
      assert.equal(res.status, 200);
      assert.equal(res.body.user.email_verified, true);
      assert.equal(auth.inbox.sent.at(-1)?.template, 'welcome');
      const again = await auth.call<ErrorBody>('POST', '/auth/email/verification', { token: access_token });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'conflict');
    });

    it('a new code kills the previous one', async () => {
      await auth.register('newcode@example.com');
      const { access_token } = (await auth.signIn('newcode@example.com')).body;
      const old = auth.inbox.lastCode('newcode@example.com', 'verify_email');
      const resent = await auth.call<AcceptedBody>('POST', '/auth/email/verification', { token: access_token });
      assert.equal(resent.status, 202);
      assert.deepEqual(Object.keys(resent.body), ['message']);
      const fresh = auth.inbox.lastCode('newcode@example.com', 'verify_email');
      const keys = auth.inbox.sent
        .filter((m) => m.to === 'newcode@example.com' && m.template === 'verify_email')
        .map((m) => m.idempotencyKey);
      assert.equal(new Set(keys).size, 2, 'a new code (a new row) was issued, not the old one re-sent');
      // The digits themselves collide once in a million; only then is there no stale code to try.
      if (old !== fresh) {
        const stale = await auth.call<ErrorBody>('POST', '/auth/email/verification/confirm', { token: access_token, json: { code: old } });
        assert.equal(stale.status, 422);
        assert.equal(stale.body.error.code, 'invalid_code');
      }
      assert.equal(
        (await auth.call<UserBody>('POST', '/auth/email/verification/confirm', { token: access_token, json: { code: fresh } })).status,
        200,
      );
    });

    it('kills the code after 5 wrong tries and answers 429 from then on, even for the right code', async () => {
      await auth.register('guesser@example.com');
      const { access_token } = (await auth.signIn('guesser@example.com')).body;
      const code = auth.inbox.lastCode('guesser@example.com', 'verify_email');
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) {
        const res = await auth.call<ErrorBody>('POST', '/auth/email/verification/confirm', { token: access_token, json: { code: wrong } });
        assert.equal(res.status, 422);
        assert.equal(res.body.error.code, 'invalid_code');
      }
      const locked = await auth.call<ErrorBody>('POST', '/auth/email/verification/confirm', { token: access_token, json: { code } });
      assert.equal(locked.status, 429);
      assert.equal(locked.body.error.code, 'rate_limited');
      assert.ok(locked.headers.get('retry-after'));
    });

    it('answers an expired code with 422 code_expired', async () => {
      const { body } = await auth.register('late@example.com');
      const { access_token } = (await auth.signIn('late@example.com')).body;
      const code = auth.inbox.lastCode('late@example.com', 'verify_email');
      await auth.db.sequelize.query('UPDATE one_time_codes SET expires_at = ? WHERE user_id = ?', {
        replacements: [new Date(Date.now() - 1000), body.user.id],
      });
      const res = await auth.call<ErrorBody>('POST', '/auth/email/verification/confirm', { token: access_token, json: { code } });
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, 'code_expired');
    });

    it('limits verification e-mails to 3 an hour per user', async () => {
      await auth.register('spam@example.com');
      const { access_token } = (await auth.signIn('spam@example.com')).body;
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await auth.call<AcceptedBody>('POST', '/auth/email/verification', { token: access_token })).status);
      assert.deepEqual(statuses, [202, 202, 202, 429]);
    });

    it('makes an ADMIN_EMAILS address an admin once it is verified, not before', async () => {
      await auth.register('boss@example.com');
      const first = (await auth.signIn('boss@example.com')).body;
      const before = await auth.call<UserBody>('GET', '/auth/me', { token: first.access_token });
      assert.deepEqual(before.body.user.roles, ['merchant']);
      const code = auth.inbox.lastCode('boss@example.com', 'verify_email');
      const verified = await auth.call<UserBody>('POST', '/auth/email/verification/confirm', { token: first.access_token, json: { code } });
      assert.deepEqual(verified.body.user.roles, ['merchant', 'admin']);
    });

    it('answers a disabled account with 403 account_disabled, as /auth/me does, and neither issues nor spends a code', async () => {
      const { body } = await auth.register('disabled-unverified@example.com');
      const { access_token } = (await auth.signIn('disabled-unverified@example.com')).body;
      const code = auth.inbox.lastCode('disabled-unverified@example.com', 'verify_email');
      const codeRow = async () =>
        (
          await auth.db.sequelize.query("SELECT id, attempts FROM one_time_codes WHERE user_id = ? AND purpose = 'verify_email'", {
            replacements: [body.user.id],
          })
        )[0];
      const codeBefore = await codeRow();
      // Disabled behind this process's back (another replica, an operator): the token is still valid here.
      await auth.db.sequelize.query('UPDATE users SET disabled = ? WHERE id = ?', { replacements: [true, body.user.id] });
      for (const [path, json] of [
        ['/auth/me', undefined],
        ['/auth/email/verification', undefined],
        ['/auth/email/verification/confirm', { code }],
      ] as const) {
        const res = await auth.call(path === '/auth/me' ? 'GET' : 'POST', path, { token: access_token, ...(json ? { json } : {}) });
        assert.equal(res.status, 403, path);
        assert.equal(res.body.error.code, 'account_disabled', path);
      }
      assert.deepEqual(await codeRow(), codeBefore, 'the code was neither replaced nor tried');
      const [rows] = await auth.db.sequelize.query('SELECT email_verified FROM users WHERE id = ?', { replacements: [body.user.id] });
      assert.equal(Boolean((rows as { email_verified: unknown }[])[0]!.email_verified), false, 'the email was not verified');
    });
  });

  describe('forgot and reset password', () => {
    it('answers 202 with the same body whether or not the email exists, and mails only real accounts', async () => {
      await auth.register('forgetful@example.com');
      const known = await auth.call<AcceptedBody>('POST', '/auth/password/forgot', { json: { email: 'Forgetful@example.com' } });
      const unknown = await auth.call<AcceptedBody>('POST', '/auth/password/forgot', { json: { email: 'ghost@example.com' } });
      assert.equal(known.status, 202);
      assert.equal(unknown.status, 202);
      assert.deepEqual(known.body, unknown.body);
      await auth.inbox.waitForCode('forgetful@example.com', 'password_reset');
      assert.equal(auth.inbox.sent.filter((m) => m.to === 'ghost@example.com').length, 0);
    });

    it('resets with the mailed code, revokes every session and verifies the email', async () => {
      await auth.register('reset@example.com');
      const session = (await auth.signIn('reset@example.com')).body;
      await auth.call<AcceptedBody>('POST', '/auth/password/forgot', { json: { email: 'reset@example.com' } });
      const code = await auth.inbox.waitForCode('reset@example.com', 'password_reset');
      const res = await auth.call<undefined>('POST', '/auth/password/reset', {
        json: { email: 'reset@example.com', code, password: NEW_PASSWORD, confirm_password: NEW_PASSWORD },
      });
      assert.equal(res.status, 204);
      assert.equal(
        (await auth.call<TokenPairView>('POST', '/auth/refresh', { json: { refresh_token: session.refresh_token } })).status,
        401,
      );
      const signedIn = await auth.signIn('reset@example.com', NEW_PASSWORD);
      assert.equal(signedIn.status, 200);
      assert.equal((await auth.call<UserBody>('GET', '/auth/me', { token: signedIn.body.access_token })).body.user.email_verified, true);
      const replay = await auth.call<ErrorBody>('POST', '/auth/password/reset', {
        json: { email: 'reset@example.com', code, password: STRONG_PASSWORD, confirm_password: STRONG_PASSWORD },
      });
      assert.equal(replay.status, 422, 'a code works once');
      assert.equal(replay.body.error.code, 'invalid_code');
    });

    it('answers a wrong code, an unknown email, a weak or mismatched password with their 422 codes', async () => {
      await auth.register('reset2@example.com');
      const body = { email: 'reset2@example.com', code: '123456', password: NEW_PASSWORD, confirm_password: NEW_PASSWORD };
      assert.equal((await auth.call<ErrorBody>('POST', '/auth/password/reset', { json: body })).body.error.code, 'invalid_code');
      assert.equal(
        (await auth.call<ErrorBody>('POST', '/auth/password/reset', { json: { ...body, email: 'ghost@example.com' } })).body.error.code,
        'invalid_code',
      );
      assert.equal(
        (await auth.call<ErrorBody>('POST', '/auth/password/reset', { json: { ...body, password: 'weak', confirm_password: 'weak' } })).body
          .error.code,
        'weak_password',
      );
      assert.equal(
        (await auth.call<ErrorBody>('POST', '/auth/password/reset', { json: { ...body, confirm_password: 'Other-Horse1!' } })).body.error
          .code,
        'password_mismatch',
      );
    });

    it('limits reset e-mails to 3 an hour per email', async () => {
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await auth.call<AcceptedBody>('POST', '/auth/password/forgot', { json: { email: 'flood@example.com' } })).status);
      assert.deepEqual(statuses, [202, 202, 202, 429]);
    });
  });

  describe('administration', () => {
    let admin: string;
    before(async () => {
      await auth.register('root@example.com');
      await auth.db.sequelize.query("UPDATE users SET roles = 'merchant,admin', email_verified = ? WHERE email = 'root@example.com'", {
        replacements: [true],
      });
      admin = (await auth.signIn('root@example.com')).body.access_token;
    });

    it('lists users a page at a time with a cursor', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: JsonResponse<UserPage> = await auth.call<UserPage>('GET', `/auth/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`, {
          token: admin,
        });
        assert.equal(res.status, 200);
        seen.push(...res.body.items.map((u) => u.id));
        cursor = res.body.next_cursor;
      } while (cursor);
      const [rows] = await auth.db.sequelize.query('SELECT COUNT(*) AS n FROM users');
      assert.equal(seen.length, Number((rows as { n: number }[])[0]!.n));
      assert.equal(new Set(seen).size, seen.length);
    });

    it('refuses non-admins with 403 forbidden', async () => {
      const { access } = await auth.verifiedUser('pleb@example.com');
      const res = await auth.call<ErrorBody>('GET', '/auth/users', { token: access });
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'forbidden');
    });

    it('disabling a user revokes their sessions and access tokens at once, and blocks sign-in with 403 account_disabled', async () => {
      const victim = await auth.verifiedUser('banned@example.com');
      const res = await auth.call<UserBody>('PATCH', `/auth/users/${victim.id}`, { token: admin, json: { disabled: true } });
      assert.equal(res.status, 200);
      assert.equal(res.body.user.id, victim.id);
      assertError(
        await auth.call<TokenPairView>('POST', '/auth/refresh', { json: { refresh_token: victim.refresh } }),
        401,
        'invalid_token',
      );
      const signIn = await auth.signIn<ErrorBody>('banned@example.com');
      assert.equal(signIn.status, 403);
      assert.equal(signIn.body.error.code, 'account_disabled');
      const me = await auth.call<ErrorBody>('GET', '/auth/me', { token: victim.access });
      assert.equal(me.status, 401);
      assert.equal(me.body.error.code, 'invalid_token');
    });

    it('sets roles, and answers an unknown user with 404 and an unknown role with 422', async () => {
      const promoted = await auth.verifiedUser('promoted@example.com');
      const res = await auth.call<UserBody>('PATCH', `/auth/users/${promoted.id}`, {
        token: admin,
        json: { roles: ['merchant', 'admin'] },
      });
      assert.deepEqual(res.body.user.roles, ['merchant', 'admin']);
      assertError(await auth.call<ErrorBody>('PATCH', '/auth/users/nobody', { token: admin, json: { disabled: true } }), 404, 'not_found');
      assert.equal(
        (await auth.call<ErrorBody>('PATCH', `/auth/users/${promoted.id}`, { token: admin, json: { roles: ['god'] } })).status,
        422,
      );
    });
  });
});
