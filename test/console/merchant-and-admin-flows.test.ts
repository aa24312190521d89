import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { assertAccessible, chromiumInstalled, launchChromium, personContext } from './support/browser.js';
import { signIn, signOut, signUpAndVerify } from './support/flows.js';
import { ADMIN_EMAIL, startPlatform, type RunningPlatform } from './support/platform.js';

describe('console in Chromium: merchant profile, API keys, admin, CSRF and CSP', function () {
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

  it('creates the merchant profile (a bad country is refused beside its field), then an API key that works with fetch', async () => {
    const { page, context } = await person();
    await signUpAndVerify(page, platform, 'owner@example.com', 'Olive');
    await assertAccessible(page);
    await page.getByLabel('Business name').fill('Olive’s Bakery');
    await page.getByLabel('Street and number').fill('1 Main St');
    await page.getByLabel('City').fill('Springfield');
    await page.getByLabel('Country').fill('ZZZ');
    await page.getByRole('button', { name: 'Save profile' }).click();
    assert.ok(await page.locator('#f-address_country-error').isVisible(), 'the country error sits beside the country field');
    assert.equal(await page.getByLabel('Business name').inputValue(), 'Olive’s Bakery', 'what was typed is kept');
    await page.getByLabel('Country').fill('US');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.waitForSelector('text=The business profile is saved.');
    const merchantId = await page.locator('input[name="merchant_id"]').first().inputValue();

    await page.goto(`/merchant/api-keys?merchant=${merchantId}`);
    await assertAccessible(page);
    await page.getByLabel('Name').fill('Reporting');
    await page.getByLabel('merchant:read').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.locator('[data-api-key-secret]').innerText();
    assert.match(secret, /^mpk_/);
    assert.ok(await page.getByRole('button', { name: 'Copy secret' }).isVisible());
    await assertAccessible(page);

    const profile = await fetch(`${platform.base}/merchants/${merchantId}/profile`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(profile.status, 200);
    assert.equal(((await profile.json()) as { merchant: { business_name: string } }).merchant.business_name, 'Olive’s Bakery');

    // Shown once: the list afterwards holds only the prefix.
    await page.goto(`/merchant/api-keys?merchant=${merchantId}`);
    assert.equal(await page.locator('[data-api-key-secret]').count(), 0);
    assert.ok((await page.content()).includes(secret.slice(0, 12)));
    assert.ok(!(await page.content()).includes(secret));
    await context.close();
  });

  it('an admin finds a user, disables them, and that user is signed out and cannot sign in', async () => {
    const target = await person();
    await signUpAndVerify(target.page, platform, 'mallory@example.com', 'Mallory');
    const admin = await person();
    await signUpAndVerify(admin.page, platform, ADMIN_EMAIL, 'Root');
    // ADMIN_EMAILS grants the role at the next sign-in.
    await signOut(admin.page);
    await signIn(admin.page, ADMIN_EMAIL);
    await admin.page.waitForURL('**/account');
    await admin.page.getByRole('link', { name: 'Users' }).click();
    await admin.page.getByLabel('Find by e-mail or name').fill('mallory');
    await admin.page.getByRole('button', { name: 'Search' }).click();
    assert.equal(await admin.page.locator('tr[data-user]').count(), 1);
    await assertAccessible(admin.page);
    await admin.page.getByRole('button', { name: 'Disable mallory@example.com' }).click();
    await admin.page.waitForSelector('text=mallory@example.com is disabled');

    await eventually(async () => {
      await target.page.goto('/account');
      return target.page.url().includes('/sign-in') || undefined;
    }, 'the disabled user to be sent to sign-in');
    await signIn(target.page, 'mallory@example.com');
    assert.match(await target.page.getByRole('alert').innerText(), /disabled/i);
    await target.context.close();
    await admin.context.close();
  });

  it('refuses a form post without the CSRF token, and changes nothing', async () => {
    const { page, context } = await person();
    await signIn(page, 'owner@example.com');
    await page.waitForURL('**/account');
    const forged = await context.request.post('/account/profile', { form: { first_name: 'Forged', last_name: 'Name' }, maxRedirects: 0 });
    assert.equal(forged.status(), 403);
    const wrong = await context.request.post('/account/profile', {
      form: { first_name: 'Forged', last_name: 'Name', _csrf: 'guess' },
      maxRedirects: 0,
    });
    assert.equal(wrong.status(), 403);
    await page.goto('/account');
    assert.equal(await page.getByLabel('First name').inputValue(), 'Olive');
    await context.close();
  });

  it('sends a strict Content-Security-Policy with a fresh nonce, forbids framing, and the pages broke none of it', async () => {
    const { page, context } = await person();
    const first = await page.goto('/sign-in');
    const second = await page.goto('/sign-in');
    const policy = first!.headers()['content-security-policy']!;
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /script-src 'nonce-[A-Za-z0-9+/=]+'(;|$)/);
    assert.match(policy, /frame-ancestors 'none'/);
    assert.notEqual(policy, second!.headers()['content-security-policy'], 'a new nonce per response');
    assert.equal(first!.headers()['x-frame-options'], 'DENY');
    await assertAccessible(page);
    await context.close();
    assert.deepEqual(allProblems.flat(), []);
  });
});
