import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { Browser, type BrowserResponse } from './google-browser.js';
import { startStandInGoogle, type GoogleAccount, type StandInGoogle } from './google-stand-in.js';
import { loadAuthConfig } from '../src/config.js';
import { startAuth, STRONG_PASSWORD, type AuthHarness } from './support.js';

/** The public origin of the API (what the ingress serves); the test browser routes it to the auth server. */
const API = 'http://api.merchant.test';
const REDIRECT_URI = `${API}/auth/google/callback`;
/** The web app allowed as `redirect_to`: an entry without a trailing slash, so the boundary rule matters. */
const APP = 'https://app.merchant.test';
const SESSION = { keys: ['google-test-session-key'], secure: false };

const TOKEN_CLAIMS = ['amr', 'aud', 'auth_method', 'auth_time', 'email', 'email_verified', 'exp', 'iat', 'iss', 'jti', 'name', 'roles', 'sid', 'sub'];
const PAIR_FIELDS = ['access_token', 'expires_in', 'refresh_expires_in', 'refresh_token', 'token_type'];
const USER_FIELDS = ['auth_methods', 'created_at', 'email', 'email_verified', 'first_name', 'id', 'last_name', 'middle_name', 'profile_picture', 'roles'];

const claimsOf = (accessToken: string) => jwt.decode(accessToken) as jwt.JwtPayload;

/** Rejected by openid-client (state, code, ID token) vs. no usable login in the session cookie. */
const NOT_VERIFIED = { error: { code: 'invalid_token', message: 'The Google sign-in could not be verified; start again.' } };
const NO_LOGIN = { error: { code: 'invalid_token', message: 'This Google sign-in has expired or was already used; start again.' } };

describe('Google sign-in', () => {
  let google: StandInGoogle;
  let auth: AuthHarness;

  before(async () => {
    google = await startStandInGoogle(REDIRECT_URI);
    auth = await startAuth(
      {
        GOOGLE_CLIENT_ID: google.clientId,
        GOOGLE_CLIENT_SECRET: google.clientSecret,
        GOOGLE_REDIRECT_URI: REDIRECT_URI,
        GOOGLE_ISSUER: google.issuer,
        AUTH_REDIRECT_ALLOWLIST: [APP],
        ADMIN_EMAILS: ['boss@example.com'],
      },
      { session: SESSION },
    );
  });
  after(async () => {
    await auth?.close();
    await google?.close();
  });

  const newBrowser = () => new Browser({ [API]: auth.url });

  /** A Google account at the stand-in provider, as a person would have created it. */
  function googleAccount(sub: string, account: Partial<GoogleAccount> & { email: string }): void {
    google.accounts.set(sub, { email_verified: true, given_name: 'Grace', family_name: 'Hopper', name: 'Grace Hopper', ...account });
  }

  /** Clicks "Sign in with Google": returns the login answer (the 302 to the provider) unfollowed. */
  function startLogin(browser: Browser, redirectTo?: string): Promise<BrowserResponse> {
    const query = redirectTo === undefined ? '' : `?${new URLSearchParams({ redirect_to: redirectTo })}`;
    return browser.get(`${API}/auth/google/login${query}`);
  }

  /**
   * At the provider: follows its redirects, signs in as `sub` on its login page and approves
   * its consent page, and returns the URL it finally sends the browser to (our callback).
   */
  async function atGoogle(browser: Browser, authorizationUrl: string, sub: string): Promise<string> {
    let response = await browser.get(authorizationUrl);
    for (let step = 0; step < 10; step++) {
      const location = response.location;
      assert.ok(location, `the provider answered ${response.status} without a redirect: ${response.text.slice(0, 300)}`);
      if (location.startsWith(REDIRECT_URI)) return location;
      response = await browser.get(location);
      const prompt = /name="prompt" value="(\w+)"/.exec(response.text)?.[1];
      if (prompt === 'login') response = await browser.postForm(location, { prompt, login: sub, password: 'anything' });
      else if (prompt === 'consent') response = await browser.postForm(location, { prompt });
    }
    throw new Error('the provider never redirected back');
  }

  /** The whole flow in one browser: login, the provider, and the callback's answer. */
  async function signInWithGoogle(sub: string, redirectTo?: string): Promise<{ browser: Browser; callback: BrowserResponse; callbackUrl: string }> {
    const browser = newBrowser();
    const login = await startLogin(browser, redirectTo);
    assert.equal(login.status, 302, login.text);
    const callbackUrl = await atGoogle(browser, login.location!, sub);
    return { browser, callback: await browser.get(callbackUrl), callbackUrl };
  }

  async function count(sql: string, ...replacements: unknown[]): Promise<number> {
    const [rows] = await auth.db.sequelize.query(sql, { replacements });
    return Number((rows as { n: number | string }[])[0]!.n);
  }

  async function userRow(email: string) {
    const [rows] = await auth.db.sequelize.query('SELECT id, password_hash, google_subject, email_verified FROM users WHERE email = ?', {
      replacements: [email],
    });
    return (rows as { id: string; password_hash: string | null; google_subject: string | null; email_verified: number | boolean }[])[0];
  }

  async function me(accessToken: string) {
    const res = await auth.call('GET', '/auth/me', { token: accessToken });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body.user).sort(), USER_FIELDS);
    return res.body.user;
  }

  describe('GET /auth/google/login', () => {
    it('redirects to the provider with state, nonce and an S256 PKCE challenge, kept in a signed httpOnly SameSite=Lax cookie for 10 minutes', async () => {
      const browser = newBrowser();
      const login = await startLogin(browser);
      assert.equal(login.status, 302);
      assert.equal(login.headers.get('cache-control'), 'no-store');
      const url = new URL(login.location!);
      assert.equal(url.origin + url.pathname, `${google.issuer}/auth`);
      const params = Object.fromEntries(url.searchParams);
      assert.deepEqual(Object.keys(params).sort(), ['client_id', 'code_challenge', 'code_challenge_method', 'nonce', 'redirect_uri', 'response_type', 'scope', 'state']);
      assert.equal(params.client_id, google.clientId);
      assert.equal(params.redirect_uri, REDIRECT_URI);
      assert.equal(params.response_type, 'code');
      assert.equal(params.scope, 'openid email profile');
      assert.equal(params.code_challenge_method, 'S256');
      for (const name of ['state', 'nonce', 'code_challenge'] as const) assert.ok(params[name]!.length >= 43, `${name} carries at least 256 bits`);
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
      assert.equal((await auth.call('POST', '/auth/refresh', { json: { refresh_token: local.refresh } })).status, 200, 'earlier sessions live on');
    });

    it('links to an unverified local account only after clearing its password, profile and refresh tokens', async () => {
      // Someone registered the address before its owner arrived, and kept a session.
      const squatted = await auth.register('vera@example.com', { first_name: 'Not', last_name: 'Vera' });
      const squatterSession = (await auth.signIn('vera@example.com')).body;
      googleAccount('g-vera', { email: 'vera@example.com', given_name: 'Vera', family_name: 'Owner', name: 'Vera Owner', picture: 'https://photos.example/vera.png' });

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

      const oldPassword = await auth.signIn('vera@example.com');
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
        error: { code: 'conflict', message: 'An account with this email exists and Google has not verified the address, so they cannot be linked.' },
      });
      assert.deepEqual(await userRow('owner@example.com'), before, 'the account is untouched');
      assert.equal(await count('SELECT COUNT(*) AS n FROM users'), users, 'no account created');
      assert.equal(await count('SELECT COUNT(*) AS n FROM refresh_tokens'), tokens, 'no session issued');
      assert.equal(await count('SELECT COUNT(*) AS n FROM users WHERE google_subject = ?', 'g-pretender'), 0);
      assert.equal((await auth.signIn('owner@example.com')).status, 200);
      assert.deepEqual((await me(local.access)).auth_methods, ['password']);
    });

    it('creates nothing for an unverified Google email no account has: 403 email_not_verified', async () => {
      googleAccount('g-unverified', { email: 'unclaimed@example.com', email_verified: false });
      const users = await count('SELECT COUNT(*) AS n FROM users');
      const { callback } = await signInWithGoogle('g-unverified');
      assert.equal(callback.status, 403);
      assert.deepEqual(callback.body, {
        error: { code: 'email_not_verified', message: 'Google has not verified the email address of this account; verify it with Google first.' },
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

    it('refuses a tampered state with 401 invalid_token, and the login cannot be finished afterwards', async () => {
      googleAccount('g-tamper', { email: 'tamper@example.com' });
      const browser = newBrowser();
      const login = await startLogin(browser);
      const callbackUrl = new URL(await atGoogle(browser, login.location!, 'g-tamper'));
      const genuine = callbackUrl.href;
      callbackUrl.searchParams.set('state', `${callbackUrl.searchParams.get('state')}x`);
      const tampered = await browser.get(callbackUrl.href);
      assert.equal(tampered.status, 401);
      assert.deepEqual(tampered.body, NOT_VERIFIED);
      const afterwards = await browser.get(genuine);
      assert.equal(afterwards.status, 401);
      assert.deepEqual(afterwards.body, NO_LOGIN, 'the login was used up by the failed try');
      assert.equal(await count('SELECT COUNT(*) AS n FROM users WHERE email = ?', 'tamper@example.com'), 0);
    });

    it('refuses a tampered session cookie with 401 invalid_token', async () => {
      googleAccount('g-cookie', { email: 'cookie@example.com' });
      const browser = newBrowser();
      const login = await startLogin(browser);
      const callbackUrl = await atGoogle(browser, login.location!, 'g-cookie');
      const session = JSON.parse(Buffer.from(browser.cookie(API, 'mp_session')!, 'base64').toString());
      session.google.redirectTo = 'https://evil.example/';
      browser.setCookie(API, 'mp_session', Buffer.from(JSON.stringify(session)).toString('base64'));
      const res = await browser.get(callbackUrl);
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, NO_LOGIN, 'a cookie whose signature fails is no session at all');
      assert.equal(res.location, undefined);
    });

    it('refuses a callback in a browser that did not start the login (login CSRF) with 401 invalid_token', async () => {
      googleAccount('g-csrf', { email: 'csrf@example.com' });
      const { callbackUrl } = await (async () => {
        const attacker = newBrowser();
        const login = await startLogin(attacker);
        return { callbackUrl: await atGoogle(attacker, login.location!, 'g-csrf') };
      })();
      const victim = newBrowser();
      const res = await victim.get(callbackUrl);
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, NO_LOGIN);
      assert.equal(await count('SELECT COUNT(*) AS n FROM users WHERE email = ?', 'csrf@example.com'), 0);
    });

    it('refuses a replayed callback with 401 invalid_token, with or without the original cookie', async () => {
      googleAccount('g-replay', { email: 'replay@example.com' });
      const browser = newBrowser();
      const login = await startLogin(browser);
      const callbackUrl = await atGoogle(browser, login.location!, 'g-replay');
      const cookiesBefore = browser.snapshot(API);
      const first = await browser.get(callbackUrl);
      assert.equal(first.status, 200, first.text);

      const sameBrowser = await browser.get(callbackUrl);
      assert.equal(sameBrowser.status, 401);
      assert.deepEqual(sameBrowser.body, NO_LOGIN);

      // A copy of the request as it went out, cookie included: its state is spent on the server.
      const copy = newBrowser();
      copy.restore(API, cookiesBefore);
      const replayed = await copy.get(callbackUrl);
      assert.equal(replayed.status, 401);
      assert.deepEqual(replayed.body, NO_LOGIN);

      const { sub } = claimsOf(first.body.access_token);
      assert.equal(await count('SELECT COUNT(*) AS n FROM refresh_tokens WHERE user_id = ?', sub), 1, 'one sign-in, one session');
    });

    it('refuses an ID token carrying another nonce with 401 invalid_token', async () => {
      googleAccount('g-nonce', { email: 'nonce@example.com' });
      const browser = newBrowser();
      const login = await startLogin(browser);
      const authorization = new URL(login.location!);
      authorization.searchParams.set('nonce', 'a-nonce-this-browser-never-got-from-us');
      const callbackUrl = await atGoogle(browser, authorization.href, 'g-nonce');
      const res = await browser.get(callbackUrl);
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, NOT_VERIFIED);
      assert.equal(await count('SELECT COUNT(*) AS n FROM users WHERE email = ?', 'nonce@example.com'), 0);
      const logged = auth.logs.lines.map((line) => JSON.parse(line) as { msg: string; reason?: string });
      assert.ok(logged.some((l) => l.msg === 'Google sign-in callback rejected' && /"nonce" claim/.test(String(l.reason))), 'the reason is logged');
    });

    it("refuses a code issued to another login (PKCE) or made up with 401 invalid_token", async () => {
      googleAccount('g-victim', { email: 'victim@example.com' });
      googleAccount('g-attacker', { email: 'attacker@example.com' });
      const attacker = newBrowser();
      const attackerLogin = await startLogin(attacker);
      const attackerCode = new URL(await atGoogle(attacker, attackerLogin.location!, 'g-attacker')).searchParams.get('code')!;

      for (const code of [attackerCode, 'made-up-code']) {
        const victim = newBrowser();
        const victimLogin = await startLogin(victim);
        const injected = new URL(await atGoogle(victim, victimLogin.location!, 'g-victim'));
        injected.searchParams.set('code', code);
        const res = await victim.get(injected.href);
        assert.equal(res.status, 401, code);
        assert.deepEqual(res.body, NOT_VERIFIED);
      }
      assert.equal(await count('SELECT COUNT(*) AS n FROM users WHERE email IN (?, ?)', 'victim@example.com', 'attacker@example.com'), 0);
    });

    it('refuses a callback carrying a provider error (the person cancelled) with 401 invalid_token', async () => {
      const browser = newBrowser();
      const login = await startLogin(browser);
      const state = new URL(login.location!).searchParams.get('state')!;
      const res = await browser.get(`${REDIRECT_URI}?${new URLSearchParams({ error: 'access_denied', state, iss: google.issuer })}`);
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, NOT_VERIFIED);
    });

    it('sends the browser to an allowed redirect_to with the pair in the URL fragment, never the query', async () => {
      googleAccount('g-app', { email: 'app@example.com', given_name: 'App', family_name: 'User', name: 'App User' });
      const { callback } = await signInWithGoogle('g-app', `${APP}/welcome?tab=1`);
      assert.equal(callback.status, 302, callback.text);
      assert.equal(callback.headers.get('cache-control'), 'no-store');
      assert.equal(callback.text, '', 'the tokens are not repeated in the body');
      const target = new URL(callback.location!);
      assert.equal(target.origin + target.pathname, `${APP}/welcome`);
      assert.equal(target.search, '?tab=1', 'the query is left as it was');
      const fragment = new URLSearchParams(target.hash.slice(1));
      assert.deepEqual([...fragment.keys()], ['access_token', 'refresh_token', 'token_type', 'expires_in']);
      assert.equal(fragment.get('token_type'), 'bearer');
      assert.equal(fragment.get('expires_in'), '900');
      const claims = claimsOf(fragment.get('access_token')!);
      assert.deepEqual(Object.keys(claims).sort(), TOKEN_CLAIMS);
      assert.equal(claims.email, 'app@example.com');
      assert.equal(claims.email_verified, true);
      assert.equal(claims.name, 'App User');
      assert.deepEqual(claims.roles, ['merchant']);
      assert.equal(claims.auth_method, 'google');
      const user = await me(fragment.get('access_token')!);
      assert.deepEqual([user.email, user.auth_methods, user.email_verified], ['app@example.com', ['google'], true]);
      const refreshed = await auth.call('POST', '/auth/refresh', { json: { refresh_token: fragment.get('refresh_token') } });
      assert.equal(refreshed.status, 200);
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

  it('logs none of the client secret, code, state, nonce, PKCE verifier or tokens', async () => {
    googleAccount('g-quiet', { email: 'quiet@example.com' });
    const browser = newBrowser();
    const login = await startLogin(browser);
    const callbackUrl = new URL(await atGoogle(browser, login.location!, 'g-quiet'));
    const pending = JSON.parse(Buffer.from(browser.cookie(API, 'mp_session')!, 'base64').toString()).google;
    const { body } = await browser.get(callbackUrl.href);
    assert.ok(body.access_token);
    const failed = newBrowser();
    const failedLogin = await startLogin(failed);
    const wrongState = new URL(await atGoogle(failed, failedLogin.location!, 'g-quiet'));
    wrongState.searchParams.set('state', 'wrong');
    assert.equal((await failed.get(wrongState.href)).status, 401);
    const logs = auth.logs.text();
    const secrets = {
      client_secret: google.clientSecret,
      code: callbackUrl.searchParams.get('code')!,
      state: pending.state,
      nonce: pending.nonce,
      code_verifier: pending.codeVerifier,
      access_token: body.access_token,
      refresh_token: body.refresh_token,
    };
    for (const [name, value] of Object.entries(secrets)) assert.ok(!logs.includes(value), `${name} is not logged`);
  });

  it('describes both routes in the OpenAPI document', async () => {
    const { body } = await auth.call('GET', '/openapi.json');
    const login = body.paths['/auth/google/login'].get;
    const callback = body.paths['/auth/google/callback'].get;
    assert.deepEqual(Object.keys(login.responses).sort(), ['302', '404', '422', '500', '503']);
    assert.deepEqual(Object.keys(callback.responses).sort(), ['200', '302', '401', '403', '404', '409', '422', '500', '503']);
    assert.deepEqual(login.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`), ['query:redirect_to']);
    assert.equal(callback.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/TokenPair');
  });
});

describe('Google sign-in turned off', () => {
  let auth: AuthHarness;
  before(async () => {
    // A secret but no client id: configuration refuses that in main.ts; here it must still be off.
    auth = await startAuth({ GOOGLE_CLIENT_SECRET: 'secret', GOOGLE_REDIRECT_URI: REDIRECT_URI, AUTH_REDIRECT_ALLOWLIST: [APP] }, { session: SESSION });
  });
  after(() => auth.close());

  it('answers 404 not_found on both routes, as if they did not exist', async () => {
    for (const path of ['/auth/google/login', `/auth/google/login?redirect_to=${encodeURIComponent(`${APP}/`)}`, '/auth/google/callback?code=x&state=y']) {
      const res = await auth.call('GET', path);
      assert.equal(res.status, 404, path);
      assert.deepEqual(res.body, { error: { code: 'not_found', message: 'The requested resource was not found.' } });
      assert.equal(res.headers.get('set-cookie'), null);
    }
  });
});

describe('Google sign-in with the provider unreachable', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth(
      { GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'secret', GOOGLE_REDIRECT_URI: REDIRECT_URI, GOOGLE_ISSUER: 'http://127.0.0.1:1' },
      { session: SESSION },
    );
  });
  after(() => auth.close());

  it('answers the login with 503 unavailable and Retry-After, and starts nothing', async () => {
    const res = await auth.call('GET', '/auth/google/login');
    assert.equal(res.status, 503);
    assert.deepEqual(res.body, { error: { code: 'unavailable', message: 'Google sign-in is unavailable right now; try again shortly.' } });
    assert.ok(Number(res.headers.get('retry-after')) > 0);
    assert.equal(res.headers.get('set-cookie'), null);
  });
});

describe('Google sign-in configuration', () => {
  const google = { GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'secret', GOOGLE_REDIRECT_URI: 'https://api.example.com/auth/google/callback' };
  const problems = (env: Record<string, string>) => {
    try {
      loadAuthConfig(env);
      return [];
    } catch (error) {
      return (error as { problems: string[] }).problems;
    }
  };

  it('is off with none of the client variables and on with all three', () => {
    assert.deepEqual(problems({}), []);
    const config = loadAuthConfig({ ...google, AUTH_REDIRECT_ALLOWLIST: 'https://app.example.com/, https://admin.example.com/' });
    assert.equal(config.GOOGLE_ISSUER, 'https://accounts.google.com');
    assert.deepEqual(config.AUTH_REDIRECT_ALLOWLIST, ['https://app.example.com/', 'https://admin.example.com/']);
  });

  it('refuses to start with only part of the client variables, naming the missing ones', () => {
    assert.deepEqual(problems({ GOOGLE_CLIENT_ID: 'id' }), [
      'GOOGLE_CLIENT_SECRET: is required when GOOGLE_CLIENT_ID is set (Google sign-in)',
      'GOOGLE_REDIRECT_URI: is required when GOOGLE_CLIENT_ID is set (Google sign-in)',
    ]);
  });

  it('refuses allow-list entries that are not absolute http(s) URLs', () => {
    assert.deepEqual(problems({ AUTH_REDIRECT_ALLOWLIST: 'https://app.example.com/,/relative,javascript:alert(1)' }), [
      'AUTH_REDIRECT_ALLOWLIST.1: must be an absolute http(s) URL prefix',
      'AUTH_REDIRECT_ALLOWLIST.2: must be an absolute http(s) URL prefix',
    ]);
  });

  it('requires https for the issuer, the callback and the allow-list in production', () => {
    const found = problems({
      NODE_ENV: 'production',
      ...google,
      GOOGLE_ISSUER: 'http://accounts.example.com',
      GOOGLE_REDIRECT_URI: 'http://api.example.com/auth/google/callback',
      AUTH_REDIRECT_ALLOWLIST: 'http://app.example.com/',
    });
    for (const name of ['GOOGLE_ISSUER', 'GOOGLE_REDIRECT_URI', 'AUTH_REDIRECT_ALLOWLIST']) {
      assert.ok(found.includes(`${name}: must be an https:// URL when NODE_ENV=production`), `${name} in ${found.join('; ')}`);
    }
  });
});
