import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { addVirtualAuthenticator, assertAccessible, chromiumInstalled, launchChromium, personContext } from './support/browser.js';
import { PASSWORD, signIn, signOut, signUpAndVerify, totpCode } from './support/flows.js';
import { startPlatform, type RunningPlatform } from './support/platform.js';

describe('console in Chromium: sign-up, second factors, passkeys and sessions', function () {
  this.timeout(120_000);
  let platform: RunningPlatform;
  let browser: Browser;
  const allProblems: string[][] = [];

  before(async function () {
    if (!chromiumInstalled()) this.skip();
    platform = await startPlatform();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await platform?.stop();
  });
  const person = async () => {
    const made = await personContext(browser, platform.base);
    allProblems.push(made.problems);
    return made;
  };

  it('signs up, reads the code from SES, verifies, signs out and in again; every page is accessible', async () => {
    const { page, context } = await person();
    await page.goto('/sign-up');
    await assertAccessible(page);
    await signUpAndVerify(page, platform, 'ada@example.com');
    await assertAccessible(page);
    await signOut(page);
    await signIn(page, 'ada@example.com');
    await page.waitForURL('**/account');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Your account');
    await assertAccessible(page);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'mp_console');
    assert.ok(session?.httpOnly, 'the session cookie is httpOnly');
    assert.equal(session.sameSite, 'Lax');
    // The browser holds only a session id: no token, in cookies or in the page.
    for (const cookie of cookies) assert.doesNotMatch(cookie.value, /^ey|\./, `cookie ${cookie.name} looks like a token`);
    assert.doesNotMatch(await page.content(), /eyJ[\w-]+\.[\w-]+\./, 'no JWT in the page');
    await context.close();
  });

  it('enrols TOTP from the secret on the page, keeps the recovery codes, and signs in with TOTP and then with a recovery code', async () => {
    const { page, context } = await person();
    await signUpAndVerify(page, platform, 'totp@example.com', 'Tess');
    await page.goto('/account/security');
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const secret = await page.locator('[data-totp-secret]').innerText();
    assert.match(secret, /^[A-Z2-7]{16,}$/);
    await assertAccessible(page);
    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    const codes = await page.locator('[data-recovery-codes] code').allInnerTexts();
    assert.equal(codes.length, 10);
    const download = page.getByRole('link', { name: 'Download as a text file' });
    assert.equal(await download.getAttribute('download'), 'recovery-codes.txt');
    assert.equal(decodeURIComponent((await download.getAttribute('href'))!.split(',')[1]!), `${codes.join('\n')}\n`);

    await page.goto('/account/security');
    await signOut(page);
    await signIn(page, 'totp@example.com');
    await page.waitForURL('**/sign-in/second-factor');
    await assertAccessible(page);
    // A wrong code is refused beside the field; the next step's code (one step of drift) then works.
    await page.getByLabel('Code').fill('000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    assert.ok(await page.locator('#f-code-error').isVisible(), 'the wrong code is reported beside the field');
    await page.getByLabel('Code').fill(totpCode(secret, 1));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL('**/account');

    await signOut(page);
    await signIn(page, 'totp@example.com');
    await page.waitForURL('**/sign-in/second-factor');
    await page.getByLabel('Code').fill(codes[0]!);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL('**/account');
    await context.close();
  });

  it('registers a passkey with the virtual authenticator, then signs in with the passkey alone', async () => {
    const { page, context } = await person();
    await addVirtualAuthenticator(context, page);
    await signUpAndVerify(page, platform, 'passkey@example.com', 'Pat');
    await page.goto('/account/security');
    await page.getByLabel('Name for a new passkey').fill('Test laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.waitForSelector('text=Your passkey is added.');
    assert.ok(await page.getByText('Test laptop').isVisible());
    await signOut(page);

    // Chromium's virtual authenticator answers the page's conditional (autofill) request by
    // itself, with no person choosing, so the page may sign in before the button is pressed;
    // either way it is the passkey alone that signs in.
    const signedIn = page.waitForURL('**/account');
    await Promise.race([
      signedIn,
      page
        .getByRole('button', { name: 'Sign in with a passkey' })
        .click()
        .catch(() => undefined),
    ]);
    await signedIn;
    assert.equal(await page.getByLabel('First name').inputValue(), 'Pat');
    await context.close();
  });

  it('revokes a session from another browser, and that browser finds itself signed out', async () => {
    const first = await person();
    const second = await person();
    await signIn(first.page, 'ada@example.com');
    await first.page.waitForURL('**/account');
    await signIn(second.page, 'ada@example.com');
    await second.page.waitForURL('**/account');

    await second.page.goto('/account/security');
    const others = second.page.locator('tr[data-session]').filter({ hasNot: second.page.getByText('(this one)') });
    // Every session but this one is someone else's: end them all, the first browser's among them.
    while ((await others.count()) > 0) {
      await others.first().getByRole('button', { name: 'Sign out' }).click();
      await second.page.waitForSelector('text=That session is signed out.');
    }
    await eventually(async () => {
      await first.page.goto('/account');
      return first.page.url().includes('/sign-in') || undefined;
    }, 'the revoked browser to be sent to sign-in');
    assert.ok(await first.page.getByText('Your session has ended.').isVisible());
    await second.page.goto('/account');
    assert.ok(second.page.url().endsWith('/account'), 'the browser that revoked stays signed in');
    await first.context.close();
    await second.context.close();
  });

  it('refuses a weak password beside the field, from the server, while the hint follows the typing', async () => {
    const { page, context } = await person();
    await page.goto('/sign-up');
    await page.getByLabel('Password', { exact: true }).fill('short');
    assert.equal(await page.locator('[data-rule="length"]').getAttribute('data-met'), 'false');
    assert.equal(await page.locator('[data-rule="lower"]').getAttribute('data-met'), 'true');
    await page.getByLabel('E-mail address').fill('weak@example.com');
    await page.getByLabel('First name').fill('Wes');
    await page.getByLabel('Last name').fill('Weak');
    await page.getByLabel('Repeat the password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    assert.match(await page.locator('#f-password-error').innerText(), /8 to 128 characters/);
    assert.equal(await page.getByLabel('E-mail address').inputValue(), 'weak@example.com', 'what was typed is kept');
    assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'a password is never sent back');
    await assertAccessible(page);
    await context.close();
  });

  it('ran every page without a Content-Security-Policy violation or a script error', () => {
    assert.deepEqual(allProblems.flat(), []);
    assert.doesNotMatch(platform.logs(), new RegExp(PASSWORD.replace(/[!]/g, '\\$&')));
  });
});
