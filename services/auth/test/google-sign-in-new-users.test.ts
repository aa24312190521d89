import assert from 'node:assert/strict';
import type { StandInGoogle } from './google-stand-in.js';
import { PAGE_ACCEPT } from './google-browser.js';
import { API, REDIRECT_URI, APP, TOKEN_CLAIMS, PAIR_FIELDS, claimsOf, googleSignInStage } from './google-sign-in-support.js';
import { type AuthHarness } from './support.js';
import { currentCode, startTotp, verify } from './totp-support.js';

describe('Google sign-in: new and returning users', () => {
  const stage = googleSignInStage();
  const { newBrowser, googleAccount, startLogin, signInWithGoogle, count, userRow, me } = stage;
  let auth: AuthHarness;
  let google: StandInGoogle;
  before(() => {
    ({ auth, google } = stage);
  });

  describe('GET /auth/google/login', () => {
    it('redirects to the provider with state, nonce and an S256 PKCE challenge, kept in a signed httpOnly SameSite=Lax cookie for 10 minutes', async () => {
      const browser = newBrowser();
      const login = await startLogin(browser);
      assert.equal(login.status, 302);
      assert.equal(login.headers.get('cache-control'), 'no-store');
      const url = new URL(login.location!);
      assert.equal(url.origin + url.pathname, `${google.issuer}/auth`);
      const params = Object.fromEntries(url.searchParams);
      assert.deepEqual(Object.keys(params).sort(), [
        'client_id',
        'code_challenge',
        'code_challenge_method',
        'nonce',
        'redirect_uri',
        'response_type',
        'scope',
        'state',
      ]);
      assert.equal(params.client_id, google.clientId);
      assert.equal(params.redirect_uri, REDIRECT_URI);
      assert.equal(params.response_type, 'code');
      assert.equal(params.scope, 'openid email profile');
      assert.equal(params.code_challenge_method, 'S256');
      for (const name of ['state', 'nonce', 'code_challenge'] as const)
        assert.ok(params[name]!.length >= 43, `${name} carries at least 256 bits`);
      assert.notEqual(params.state, params.nonce);

      const session = login.setCookies.find((c) => c.startsWith('mp_session='))!;
      const signature = login.setCookies.find((c) => c.startsWith('mp_session.sig='));
      assert.ok(session && signature, 'a session cookie and its signature');
      assert.match(session, /; httponly/i);
      assert.match(session, /; samesite=lax/i);
      const expires = Date.parse(/; expires=([^;]+)/i.exec(session)![1]!);
      assert.ok(Math.abs(expires - (Date.now() + 10 * 60_000)) < 5_000, 'expires in 10 minutes');
      assert.doesNotMatch(login.text, /state|nonce/, 'nothing about the login in the body');
    });

    it('refuses a redirect_to outside the allow-list with 422 validation_failed and starts nothing', async () => {
      for (const redirectTo of [
        'https://evil.example/',
        `${APP}.evil.example/`,
        `${APP}@evil.example/`,
        `${APP}/#already-a-fragment`,
        'javascript:alert(1)',
        '/relative',
        'http://app.merchant.test/',
      ]) {
        const browser = newBrowser();
        const res = await startLogin(browser, redirectTo);
        assert.equal(res.status, 422, redirectTo);
        assert.deepEqual(res.body, {
          error: {
            code: 'validation_failed',
            message: 'The request is not valid.',
            details: [{ path: 'query.redirect_to', message: 'must start with one of the allowed redirect URLs' }],
          },
        });
        assert.equal(res.location, undefined);
        assert.equal(browser.cookie(API, 'mp_session'), undefined, `no login started for ${redirectTo}`);
      }
    });
  });

  describe('GET /auth/google/callback', () => {
    it('asks a user with a second factor for it with 401 mfa_required, and the code finishes with amr fed, otp, mfa', async () => {
      googleAccount('g-mfa', { email: 'g-mfa@example.com' });
      const first = await signInWithGoogle('g-mfa');
      assert.equal(first.callback.status, 200, first.callback.text);
      assert.deepEqual(claimsOf(first.callback.body.access_token).amr, ['fed']);
      const access = first.callback.body.access_token as string;
      const enrolment = await startTotp(auth, access);
      const confirmed = await auth.call('POST', `/auth/mfa/totp/${enrolment.factor_id}/confirm`, {
        token: access,
        json: { code: currentCode(enrolment.secret) },
      });
      assert.equal(confirmed.status, 200, confirmed.text);

      const { callback } = await signInWithGoogle('g-mfa');
      assert.equal(callback.status, 401, callback.text);
      assert.equal(callback.body.error.code, 'mfa_required');
      assert.deepEqual(callback.body.error.mfa.factors, [{ id: enrolment.factor_id, type: 'totp' }]);
      const finished = await verify(auth, { mfa_token: callback.body.error.mfa.mfa_token, code: currentCode(enrolment.secret, 1) });
      assert.equal(finished.status, 200, finished.text);
      const claims = claimsOf(finished.body.access_token);
      assert.deepEqual(claims.amr, ['fed', 'otp', 'mfa']);
      assert.equal(claims.auth_method, 'google');
    });

    it('sends a page navigation with a redirect_to there with the second-factor challenge in the fragment, answered at /auth/mfa/verify', async () => {
      googleAccount('g-mfa-app', { email: 'g-mfa-app@example.com' });
      const first = await signInWithGoogle('g-mfa-app');
      const enrolment = await startTotp(auth, first.callback.body.access_token as string);
      const confirmed = await auth.call('POST', `/auth/mfa/totp/${enrolment.factor_id}/confirm`, {
        token: first.callback.body.access_token as string,
        json: { code: currentCode(enrolment.secret) },
      });
      assert.equal(confirmed.status, 200, confirmed.text);

      const asApiClient = await signInWithGoogle('g-mfa-app', `${APP}/signed-in?state=s1`);
      assert.equal(asApiClient.callback.status, 401, "an API client gets the contract's 401, redirect_to or not");
      assert.equal(asApiClient.callback.body.error.code, 'mfa_required');

      const { callback } = await signInWithGoogle('g-mfa-app', `${APP}/signed-in?state=s1`, PAGE_ACCEPT);
      assert.equal(callback.status, 302, callback.text);
      assert.equal(callback.text, '');
      const target = new URL(callback.location!);
      assert.equal(target.origin + target.pathname + target.search, `${APP}/signed-in?state=s1`);
      const fragment = new URLSearchParams(target.hash.slice(1));
      assert.deepEqual([...fragment.keys()], ['error', 'mfa_token', 'mfa_factors', 'mfa_expires_in']);
      assert.equal(fragment.get('error'), 'mfa_required');
      assert.deepEqual(JSON.parse(fragment.get('mfa_factors')!), [{ id: enrolment.factor_id, type: 'totp' }]);
      assert.equal(fragment.get('mfa_expires_in'), '300');
      const finished = await verify(auth, { mfa_token: fragment.get('mfa_token')!, code: currentCode(enrolment.secret, 1) });
      assert.equal(finished.status, 200, finished.text);
      assert.deepEqual(claimsOf(finished.body.access_token).amr, ['fed', 'otp', 'mfa']);
    });

    it('checks the email claim with the same rule as a typed-in email: a malformed one is 401 invalid_token and creates nothing', async () => {
      googleAccount('sub-bad-email', { email: 'not an email <x@y>' });
      const { callback } = await signInWithGoogle('sub-bad-email');
      assert.equal(callback.status, 401, callback.text);
      assert.equal(callback.body.error.code, 'invalid_token');
      assert.equal(await count('SELECT COUNT(*) AS n FROM users WHERE google_subject = ?', 'sub-bad-email'), 0);
    });

    it('stores the email claim trimmed and lower-cased, as a typed-in email is', async () => {
      googleAccount('sub-shouty', { email: '  Shouty.Person@Example.COM ' });
      const { callback } = await signInWithGoogle('sub-shouty');
      assert.equal(callback.status, 200, callback.text);
      assert.equal((await me(callback.body.access_token)).email, 'shouty.person@example.com');
    });

    it('creates a verified google-only account on first sign-in and answers a google token pair', async () => {
      googleAccount('g-ada', {
        email: 'Ada@Example.com',
        given_name: 'Ada',
        family_name: 'Lovelace',
        name: 'Ada Lovelace',
        picture: 'https://photos.example/ada.png',
      });
      const { browser, callback } = await signInWithGoogle('g-ada');
      assert.equal(callback.status, 200, callback.text);
      assert.deepEqual(Object.keys(callback.body).sort(), PAIR_FIELDS);
      assert.equal(callback.body.token_type, 'bearer');
      assert.equal(callback.body.expires_in, 900);
      assert.equal(callback.headers.get('cache-control'), 'no-store');
      assert.equal(browser.cookie(API, 'mp_session'), undefined, 'the login state is gone from the browser');

      const claims = claimsOf(callback.body.access_token);
      assert.deepEqual(Object.keys(claims).sort(), TOKEN_CLAIMS);
      const user = await me(callback.body.access_token);
      assert.equal(claims.sub, user.id);
      assert.equal(claims.email, 'ada@example.com');
      assert.equal(claims.email_verified, true);
      assert.equal(claims.name, 'Ada Lovelace');
      assert.deepEqual(claims.roles, ['merchant']);
      assert.equal(claims.auth_method, 'google');
      assert.deepEqual(user, {
        id: user.id,
        email: 'ada@example.com',
        first_name: 'Ada',
        middle_name: null,
        last_name: 'Lovelace',
        profile_picture: 'https://photos.example/ada.png',
        email_verified: true,
        roles: ['merchant'],
        auth_methods: ['google'],
        created_at: user.created_at,
      });
      const row = await userRow('ada@example.com');
      assert.equal(row!.google_subject, 'g-ada', 'stored by subject');
      assert.equal(row!.password_hash, null);

      const refreshed = await auth.call('POST', '/auth/refresh', { json: { refresh_token: callback.body.refresh_token } });
      assert.equal(refreshed.status, 200);
      assert.equal(claimsOf(refreshed.body.access_token).auth_method, 'google', 'refreshing keeps the sign-in method');
    });

    it('matches a returning Google account by its subject, even after its email changed at Google', async () => {
      googleAccount('g-return', { email: 'first@example.com' });
      const first = await signInWithGoogle('g-return');
      const firstUser = await me(first.callback.body.access_token);
      googleAccount('g-return', { email: 'renamed@example.com' });
      const again = await signInWithGoogle('g-return');
      assert.equal(again.callback.status, 200, again.callback.text);
      const claims = claimsOf(again.callback.body.access_token);
      assert.equal(claims.sub, firstUser.id);
      assert.equal(claims.email, 'first@example.com', 'the account keeps its own email');
      assert.equal(claims.auth_method, 'google');
      assert.equal(await count('SELECT COUNT(*) AS n FROM users WHERE email = ?', 'renamed@example.com'), 0);
    });

    it('gives ADMIN_EMAILS the admin role on their first (verified) Google sign-in', async () => {
      googleAccount('g-boss', { email: 'boss@example.com', given_name: 'Big', family_name: 'Boss', name: 'Big Boss' });
      const { callback } = await signInWithGoogle('g-boss');
      assert.equal(callback.status, 200, callback.text);
      const claims = claimsOf(callback.body.access_token);
      assert.deepEqual(claims.roles, ['merchant', 'admin']);
      assert.equal(claims.name, 'Big Boss');
      assert.equal(claims.email_verified, true);
      assert.deepEqual((await me(callback.body.access_token)).roles, ['merchant', 'admin']);
    });

    it('promotes a returning Google account whose address is in ADMIN_EMAILS at its next sign-in', async () => {
      googleAccount('g-boss', { email: 'boss@example.com', given_name: 'Big', family_name: 'Boss', name: 'Big Boss' });
      const first = await signInWithGoogle('g-boss');
      assert.equal(first.callback.status, 200, first.callback.text);
      // As if the account was verified before its address was added to ADMIN_EMAILS.
      await auth.db.sequelize.query("UPDATE users SET roles = 'merchant' WHERE email = 'boss@example.com'");
      const again = await signInWithGoogle('g-boss');
      assert.equal(again.callback.status, 200, again.callback.text);
      assert.deepEqual(claimsOf(again.callback.body.access_token).roles, ['merchant', 'admin']);
    });

    it('sends a page navigation with a redirect_to there with the refusal in the fragment (error and error_description), creating nothing', async () => {
      googleAccount('g-unverified-app', { email: 'unclaimed-app@example.com', email_verified: false });
      const users = await count('SELECT COUNT(*) AS n FROM users');
      const asApiClient = await signInWithGoogle('g-unverified-app', `${APP}/signed-in`);
      assert.equal(asApiClient.callback.status, 403, "an API client gets the contract's 403, redirect_to or not");
      const { callback } = await signInWithGoogle('g-unverified-app', `${APP}/signed-in`, PAGE_ACCEPT);
      assert.equal(callback.status, 302, callback.text);
      const target = new URL(callback.location!);
      assert.equal(target.origin + target.pathname, `${APP}/signed-in`);
      assert.deepEqual(Object.fromEntries(new URLSearchParams(target.hash.slice(1))), {
        error: 'email_not_verified',
        error_description: 'Google has not verified the email address of this account; verify it with Google first.',
      });
      assert.equal(await count('SELECT COUNT(*) AS n FROM users'), users);
    });

    it('creates nothing for an unverified Google email no account has: 403 email_not_verified', async () => {
      googleAccount('g-unverified', { email: 'unclaimed@example.com', email_verified: false });
      const users = await count('SELECT COUNT(*) AS n FROM users');
      const { callback } = await signInWithGoogle('g-unverified');
      assert.equal(callback.status, 403);
      assert.deepEqual(callback.body, {
        error: {
          code: 'email_not_verified',
          message: 'Google has not verified the email address of this account; verify it with Google first.',
        },
      });
      assert.equal(await count('SELECT COUNT(*) AS n FROM users'), users);
      assert.equal((await auth.register('unclaimed@example.com')).status, 201, 'the address stays free for its owner');
    });

    it('refuses a disabled account with 403 account_disabled', async () => {
      googleAccount('g-banned', { email: 'banned@example.com' });
      const first = await signInWithGoogle('g-banned');
      assert.equal(first.callback.status, 200);
      await auth.db.sequelize.query('UPDATE users SET disabled = ? WHERE email = ?', { replacements: [true, 'banned@example.com'] });
      const again = await signInWithGoogle('g-banned');
      assert.equal(again.callback.status, 403);
      assert.equal(again.callback.body.error.code, 'account_disabled');
    });
  });
});
