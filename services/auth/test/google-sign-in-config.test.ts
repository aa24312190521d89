import assert from 'node:assert/strict';
import { loadAuthConfig } from '../src/config.js';
import { REDIRECT_URI, APP, SESSION } from './google-sign-in-support.js';
import { startAuth, type AuthHarness } from './support.js';

describe('Google sign-in turned off', () => {
  let auth: AuthHarness;
  before(async () => {
    // A secret but no client id: configuration refuses that in main.ts; here it must still be off.
    auth = await startAuth(
      { GOOGLE_CLIENT_SECRET: 'secret', GOOGLE_REDIRECT_URI: REDIRECT_URI, AUTH_REDIRECT_ALLOWLIST: [APP] },
      { session: SESSION },
    );
  });
  after(() => auth.close());

  it('answers 404 not_found on both routes, as if they did not exist', async () => {
    for (const path of [
      '/auth/google/login',
      `/auth/google/login?redirect_to=${encodeURIComponent(`${APP}/`)}`,
      '/auth/google/callback?code=x&state=y',
    ]) {
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
  const google = {
    GOOGLE_CLIENT_ID: 'id',
    GOOGLE_CLIENT_SECRET: 'secret',
    GOOGLE_REDIRECT_URI: 'https://api.example.com/auth/google/callback',
  };
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
