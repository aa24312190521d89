import assert from 'node:assert/strict';
import type { StandInGoogle } from './google-stand-in.js';
import { API, REDIRECT_URI, APP, TOKEN_CLAIMS, claimsOf, NOT_VERIFIED, NO_LOGIN, googleSignInStage } from './google-sign-in-support.js';
import { type AuthHarness } from './support.js';

describe('Google sign-in: state, replay and secrets', () => {
  const stage = googleSignInStage();
  const { newBrowser, googleAccount, startLogin, atGoogle, signInWithGoogle, count, me } = stage;
  let auth: AuthHarness;
  let google: StandInGoogle;
  before(() => {
    ({ auth, google } = stage);
  });

  describe('GET /auth/google/callback', () => {
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
      assert.ok(
        logged.some((l) => l.msg === 'Google sign-in callback rejected' && /"nonce" claim/.test(String(l.reason))),
        'the reason is logged',
      );
    });

    it('refuses a code issued to another login (PKCE) or made up with 401 invalid_token', async () => {
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
    assert.deepEqual(
      login.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`),
      ['query:redirect_to'],
    );
    assert.equal(callback.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/TokenPair');
  });
});
