import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { Browser, type BrowserResponse } from './google-browser.js';
import { startStandInGoogle, type GoogleAccount, type StandInGoogle } from './google-stand-in.js';
import { startAuth, type AuthHarness, type UserBody } from './support.js';

// What the Google sign-in test files share: the origins, the expected shapes, and a stage
// (a stand-in Google plus a real auth service) with the steps a person's browser takes.

/** The public origin of the API (what the ingress serves); the test browser routes it to the auth server. */
export const API = 'http://api.merchant.test';
export const REDIRECT_URI = `${API}/auth/google/callback`;
/** The web app allowed as `redirect_to`: an entry without a trailing slash, so the boundary rule matters. */
export const APP = 'https://app.merchant.test';
export const SESSION = { keys: ['google-test-session-key'], secure: false };

export { TOKEN_CLAIMS } from './support.js';
export const PAIR_FIELDS = ['access_token', 'expires_in', 'refresh_expires_in', 'refresh_token', 'token_type'];
const USER_FIELDS = [
  'auth_methods',
  'created_at',
  'email',
  'email_verified',
  'first_name',
  'id',
  'last_name',
  'middle_name',
  'profile_picture',
  'roles',
];

export const claimsOf = (accessToken: string) => jwt.decode(accessToken) as jwt.JwtPayload;

/** Rejected by openid-client (state, code, ID token) vs. no usable login in the session cookie. */
export const NOT_VERIFIED = { error: { code: 'invalid_token', message: 'The Google sign-in could not be verified; start again.' } };
export const NO_LOGIN = { error: { code: 'invalid_token', message: 'This Google sign-in has expired or was already used; start again.' } };

/**
 * A stand-in Google and an auth service configured for it. Its steps are arrow properties, so a
 * suite can destructure them before \`start()\` has run in its \`before\` hook.
 */
export class GoogleSignInStage {
  google!: StandInGoogle;
  auth!: AuthHarness;

  async start(): Promise<void> {
    this.google = await startStandInGoogle(REDIRECT_URI);
    this.auth = await startAuth(
      {
        GOOGLE_CLIENT_ID: this.google.clientId,
        GOOGLE_CLIENT_SECRET: this.google.clientSecret,
        GOOGLE_REDIRECT_URI: REDIRECT_URI,
        GOOGLE_ISSUER: this.google.issuer,
        AUTH_REDIRECT_ALLOWLIST: [APP],
        ADMIN_EMAILS: ['boss@example.com'],
      },
      { session: SESSION },
    );
  }

  async close(): Promise<void> {
    await this.auth?.close();
    await this.google?.close();
  }

  newBrowser = (accept?: string) => new Browser({ [API]: this.auth.url }, accept);

  /** A Google account at the stand-in provider, as a person would have created it. */
  googleAccount = (sub: string, account: Partial<GoogleAccount> & { email: string }): void => {
    this.google.accounts.set(sub, { email_verified: true, given_name: 'Grace', family_name: 'Hopper', name: 'Grace Hopper', ...account });
  };

  /** Clicks "Sign in with Google": returns the login answer (the 302 to the provider) unfollowed. */
  startLogin = (browser: Browser, redirectTo?: string): Promise<BrowserResponse> => {
    const query = redirectTo === undefined ? '' : `?${new URLSearchParams({ redirect_to: redirectTo })}`;
    return browser.get(`${API}/auth/google/login${query}`);
  };

  /**
   * At the provider: follows its redirects, signs in as `sub` on its login page and approves
   * its consent page, and returns the URL it finally sends the browser to (our callback).
   */
  atGoogle = async (browser: Browser, authorizationUrl: string, sub: string): Promise<string> => {
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
  };

  /**
   * The whole flow in one browser: login, the provider, and the callback's answer. `accept`:
   * PAGE_ACCEPT for a real browser's navigation; by default an API client's (none, so any).
   */
  signInWithGoogle = async (
    sub: string,
    redirectTo?: string,
    accept?: string,
  ): Promise<{ browser: Browser; callback: BrowserResponse; callbackUrl: string }> => {
    const browser = this.newBrowser(accept);
    const login = await this.startLogin(browser, redirectTo);
    assert.equal(login.status, 302, login.text);
    const callbackUrl = await this.atGoogle(browser, login.location!, sub);
    return { browser, callback: await browser.get(callbackUrl), callbackUrl };
  };

  count = async (sql: string, ...replacements: unknown[]): Promise<number> => {
    const [rows] = await this.auth.db.sequelize.query(sql, { replacements });
    return Number((rows as { n: number | string }[])[0]!.n);
  };

  userRow = async (email: string) => {
    const [rows] = await this.auth.db.sequelize.query(
      'SELECT id, password_hash, google_subject, email_verified FROM users WHERE email = ?',
      {
        replacements: [email],
      },
    );
    return (rows as { id: string; password_hash: string | null; google_subject: string | null; email_verified: number | boolean }[])[0];
  };

  me = async (accessToken: string) => {
    const res = await this.auth.call<UserBody>('GET', '/auth/me', { token: accessToken });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body.user).sort(), USER_FIELDS);
    return res.body.user;
  };
}

/** A stage started before the calling suite and closed after it. */
export function googleSignInStage(): GoogleSignInStage {
  const stage = new GoogleSignInStage();
  before(() => stage.start());
  after(() => stage.close());
  return stage;
}
