import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startStandInGoogle, type StandInGoogle } from '../../services/auth/test/google-stand-in.js';
import { assertAccessible } from './support/browser.js';
import { signOut, totpCode } from './support/flows.js';
import { startPlatform } from './support/platform.js';
import { platformInChromium } from './support/suite.js';

/**
 * Google sign-in from the console in Chromium, against a real OpenID provider (oidc-provider,
 * the auth tests' stand-in Google): the button, auth's callback, the completion page handing the
 * fragment to the console, and the second factor after Google.
 */
describe('console in Chromium: Google sign-in', function () {
  this.timeout(120_000);
  let google: StandInGoogle | undefined;
  const suite = platformInChromium({
    google: async (redirectUri) => (google = await startStandInGoogle(redirectUri)),
  });
  after(async () => google?.close());

  const googleAccount = (sub: string, email: string) =>
    google!.accounts.set(sub, { email, email_verified: true, given_name: 'Grace', family_name: 'Hopper', name: 'Grace Hopper' });

  /** At the provider's login and consent pages, as the person would fill them. */
  const atGoogle = async (page: Page, sub: string) => {
    await page.waitForURL(`${google!.issuer}/**`);
    await page.locator('input[name="login"]').fill(sub);
    await page.locator('input[name="password"]').fill('anything');
    await page.locator('button[type="submit"]').click();
    await page.getByRole('button', { name: 'Continue' }).click();
  };

  const signInWithGoogle = async (page: Page, sub: string) => {
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Sign in with Google' }).click();
    await atGoogle(page, sub);
  };

  it('signs in with Google from the sign-in page; the tokens end up in the server-side session, nowhere in the browser', async () => {
    googleAccount('g-grace', 'grace@example.com');
    const { page, context } = await suite.person();
    await page.goto('/sign-in?next=/account/security');
    await assertAccessible(page);
    const link = page.getByRole('link', { name: 'Sign in with Google' });
    assert.equal(await link.getAttribute('href'), '/sign-in/google?next=%2Faccount%2Fsecurity');
    const completion = page.waitForResponse((r) => r.url().endsWith('/sign-in/google/complete') && r.request().method() === 'POST');
    await link.click();
    await atGoogle(page, 'g-grace');
    assert.equal((await completion).status(), 200);
    await page.waitForURL('**/account/security');
    assert.equal(new URL(page.url()).hash, '', 'no fragment left in the address bar');
    await page.goto('/account');
    assert.match(await page.locator('#email-heading + p').innerText(), /grace@example\.com/);

    for (const cookie of await context.cookies(suite.platform().base)) assert.doesNotMatch(cookie.value, /^ey|\./, `cookie ${cookie.name}`);
    assert.doesNotMatch(await page.content(), /eyJ[\w-]+\.[\w-]+\./, 'no JWT in the page');
    await context.close();
  });

  it('asks a Google user with an authenticator app for its code after Google, as after a password', async () => {
    googleAccount('g-tess', 'tess@example.com');
    const { page, context } = await suite.person();
    await signInWithGoogle(page, 'g-tess');
    await page.waitForURL('**/account');
    await page.goto('/account/security');
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const secret = await page.locator('[data-totp-secret]').innerText();
    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.waitForSelector('[data-recovery-codes]');
    await page.goto('/account/security');
    await signOut(page);
    await context.close();

    // Another browser, so the provider asks who it is again (it remembers a signed-in person).
    const { page: later, context: laterContext } = await suite.person();
    await signInWithGoogle(later, 'g-tess');
    await later.waitForURL('**/sign-in/second-factor');
    await assertAccessible(later);
    await later.getByLabel('Code').fill(totpCode(secret, 1));
    await later.getByRole('button', { name: 'Continue' }).click();
    await later.waitForURL('**/account');
    assert.equal(await later.getByRole('heading', { level: 1 }).innerText(), 'Your account');
    await laterContext.close();
  });

  it("shows auth's refusal in the console's words: an unverified Google address signs nobody in", async () => {
    google!.accounts.set('g-unverified', { email: 'unverified@example.com', email_verified: false });
    const { page, context } = await suite.person();
    const completion = page.waitForResponse((r) => r.url().endsWith('/sign-in/google/complete') && r.request().method() === 'POST');
    await signInWithGoogle(page, 'g-unverified');
    const answer = await completion;
    assert.equal(answer.status(), 403);
    assert.equal(((await answer.json()) as { error: { code: string } }).error.code, 'email_not_verified');
    assert.match(await page.locator('[data-google-error]').innerText(), /Google has not verified the e-mail address/);
    await assertAccessible(page);
    await context.close();
  });

  it('refuses a garbled, forged, unstarted or replayed completion with a clear message and a 4xx, and signs nobody in', async () => {
    const { page, context } = await suite.person();
    await page.goto('/sign-in');
    /** Starts a Google sign-in in this browser without following it: answers the state the completion must carry. */
    const startedState = async () => {
      const start = await page.request.get('/sign-in/google', { maxRedirects: 0 });
      const redirectTo = new URL(start.headers().location!, suite.platform().base).searchParams.get('redirect_to')!;
      return new URL(redirectTo).searchParams.get('state')!;
    };
    const complete = async (query: string, fragment: string) => {
      // From another page: a change of fragment alone would not load the page again.
      await page.goto('/sign-in');
      const answer = page.waitForResponse((r) => r.url().endsWith('/sign-in/google/complete') && r.request().method() === 'POST');
      await page.goto(`/sign-in/google/complete${query}#${fragment}`);
      const response = await answer;
      const alert = page.locator('[data-google-error]');
      await alert.waitFor();
      return { status: response.status(), body: (await response.json()) as { error: { code: string } }, message: await alert.innerText() };
    };
    const forgedPair = 'access_token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln&refresh_token=forged&token_type=bearer&expires_in=900';

    const garbled = await complete(`?state=${await startedState()}`, 'access_token=&token_type=mac&expires_in=soon');
    assert.deepEqual([garbled.status, garbled.body.error.code], [422, 'validation_failed']);
    assert.match(garbled.message, /incomplete or damaged/);
    await assertAccessible(page);

    const badFactors = await complete(
      `?state=${await startedState()}`,
      'error=mfa_required&mfa_token=t&mfa_factors=%5Bnot-json&mfa_expires_in=300',
    );
    assert.deepEqual([badFactors.status, badFactors.body.error.code], [422, 'validation_failed']);

    // A crafted refusal shows only the console's own words, whatever the code.
    const crafted = await complete(`?state=${await startedState()}`, 'error=__proto__&error_description=Call%20us%20now');
    assert.deepEqual([crafted.status, crafted.body.error.code], [400, 'google_refused']);
    assert.doesNotMatch(crafted.message, /Call us/);

    const state = await startedState();
    const forged = await complete(`?state=${state}`, forgedPair);
    assert.deepEqual([forged.status, forged.body.error.code], [401, 'invalid_token']);
    assert.match(forged.message, /could not be verified/);

    const replayed = await complete(`?state=${state}`, forgedPair);
    assert.deepEqual([replayed.status, replayed.body.error.code], [401, 'invalid_token']);
    assert.match(replayed.message, /did not start in this browser/);

    const unstarted = await complete('', forgedPair);
    assert.equal(unstarted.status, 401);
    assert.ok(await page.getByRole('link', { name: 'Back to sign-in' }).isVisible());

    await page.goto('/account');
    await page.waitForURL('**/sign-in?next=%2Faccount');
    await context.close();
  });

  it('ran every page with no CSP violation or script error', () => {
    assert.deepEqual(suite.problems(), []);
  });
});

describe('console without Google sign-in configured', function () {
  this.timeout(60_000);
  it('shows no Google button and has no Google pages', async () => {
    const platform = await startPlatform();
    try {
      const signIn = await fetch(`${platform.base}/sign-in`);
      assert.doesNotMatch(await signIn.text(), /Sign in with Google/);
      for (const path of ['/sign-in/google', '/sign-in/google/complete']) {
        const res = await fetch(`${platform.base}${path}`, { redirect: 'manual' });
        assert.equal(res.status, 404, path);
      }
    } finally {
      await platform.stop();
    }
  });
});
