import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertAccessible } from './support/browser.js';
import { platformInChromium } from './support/suite.js';
import { PASSWORD, signOut, signUpAndVerify } from './support/flows.js';
import type { RunningPlatform } from './support/platform.js';

/** Four invitation attempts an hour (a 409 counts, a 422 does not): the fifth shows the API's 429. */
const INVITATIONS_PER_HOUR = 4;

describe('console in Chromium: team invitations from the business page to a second browser', function () {
  this.timeout(180_000);
  const suite = platformInChromium({ invitationRatePerHour: INVITATIONS_PER_HOUR });
  const person = suite.person;
  let platform: RunningPlatform;
  let owner: Page;
  let merchantId = '';

  before(async () => {
    platform = suite.platform();
    owner = (await person()).page;
    await signUpAndVerify(owner, platform, 'owner@example.com', 'Olive');
    await owner.getByLabel('Business name').fill('Olive’s Bakery');
    await owner.getByLabel('Street and number').fill('1 Main St');
    await owner.getByLabel('City').fill('Springfield');
    await owner.getByLabel('Country').fill('US');
    await owner.getByRole('button', { name: 'Save profile' }).click();
    await owner.waitForSelector('text=The business profile is saved.');
    merchantId = await owner.locator('input[name="merchant_id"]').first().inputValue();
  });

  /** Fills and sends the invite form; answers the HTTP status the console gave the form post. */
  const inviteFromPage = async (email: string, role: string) => {
    await owner.getByLabel('Their e-mail address').fill(email);
    await owner.getByLabel('Role', { exact: true }).selectOption(role);
    const [response] = await Promise.all([
      owner.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/merchant/${merchantId}/invitations`)),
      owner.getByRole('button', { name: 'Send invitation' }).click(),
    ]);
    await owner.waitForLoadState();
    return response.status();
  };
  const rowOf = (page: Page, email: string) => page.locator(`tr[data-invitation="${email}"] td`).allInnerTexts();
  const acceptLinkFor = async (email: string) => {
    const text = await platform.mailText(email, /invited/i);
    const link = /(http:\/\/localhost:\d+\/invitations\/accept\?token=mpi_[A-Za-z0-9_-]+)/.exec(text)?.[1];
    assert.ok(link, `an accept link in the mail to ${email}`);
    return link;
  };

  it('an owner invites a teammate; the teammate signs up from the mailed link in a second browser, accepts, and joins as invited', async () => {
    await owner.goto(`/merchant?merchant=${merchantId}`);
    assert.ok(await owner.getByText('No invitations yet.').isVisible());
    assert.deepEqual(
      await owner.getByLabel('Role', { exact: true }).locator('option').allInnerTexts(),
      ['owner', 'admin', 'developer', 'viewer'],
      'an owner may invite every role',
    );
    await assertAccessible(owner);

    assert.equal(await inviteFromPage('teammate@example.com', 'developer'), 302);
    assert.equal(await owner.getByRole('status').innerText(), 'An invitation is on its way to teammate@example.com.');
    const [email, role, status, expires] = await rowOf(owner, 'teammate@example.com');
    assert.deepEqual([email, role, status], ['teammate@example.com', 'developer', 'pending']);
    assert.match(expires ?? '', /^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
    await assertAccessible(owner);

    const link = await acceptLinkFor('teammate@example.com');
    const token = new URL(link).searchParams.get('token')!;
    const teammate = await person();
    await teammate.page.goto(link);
    await teammate.page.waitForURL('**/sign-in?next=%2Finvitations%2Faccept');
    assert.match(await teammate.page.getByRole('status').innerText(), /create an account with the invited address/);
    await Promise.all([teammate.page.waitForURL('**/sign-up'), teammate.page.getByRole('link', { name: 'Create an account' }).click()]);
    await signUpAndVerify(teammate.page, platform, 'teammate@example.com', 'Tess', '**/invitations/accept');
    assert.ok(!teammate.page.url().includes('token'), 'the token left the address bar');
    assert.ok(!(await teammate.page.content()).includes(token), 'the token stays in the server-side session');
    await assertAccessible(teammate.page);
    await teammate.page.getByRole('button', { name: 'Accept the invitation' }).click();
    await teammate.page.waitForURL(`**/merchant?merchant=${merchantId}`);
    assert.equal(await teammate.page.getByRole('status').innerText(), 'You joined the business as developer.');
    assert.equal(await teammate.page.getByLabel('Business name').inputValue(), 'Olive’s Bakery');
    // A developer manages no invitations: neither the form nor the list is shown.
    assert.equal(await teammate.page.getByRole('button', { name: 'Send invitation' }).count(), 0);
    assert.equal(await teammate.page.locator('#invitations-heading').count(), 0);

    await owner.reload();
    const member = owner.getByRole('row').filter({ hasText: 'teammate@example.com' }).first();
    assert.match(await member.innerText(), /Tess Lovelace\s+teammate@example\.com\s+developer/);
    assert.equal((await rowOf(owner, 'teammate@example.com'))[2], 'accepted');
    assert.equal(await owner.getByRole('button', { name: 'Revoke the invitation of teammate@example.com' }).count(), 0);
    assert.ok(!platform.logs().includes(token), 'the invitation token is in no log line');
    await teammate.context.close();
  });

  it('shows the API’s refusals beside the field: 422 for a bad address, 409 for a member, then 429 with when to retry', async () => {
    await owner.goto(`/merchant?merchant=${merchantId}`);
    assert.equal(await inviteFromPage('not-an-address', 'viewer'), 422);
    assert.ok(await owner.locator('#f-email-error').isVisible());
    assert.equal(await owner.getByLabel('Their e-mail address').inputValue(), 'not-an-address', 'what was typed is kept');
    assert.equal(await owner.getByLabel('Role', { exact: true }).inputValue(), 'viewer');
    await assertAccessible(owner);

    assert.equal(await inviteFromPage('teammate@example.com', 'viewer'), 409);
    assert.equal(
      await owner.locator('#f-email-error').innerText(),
      'Someone with this email address is already a member of this merchant.',
    );
    await assertAccessible(owner);

    // teammate@ and the 409 used two of the hour's four attempts; two more go through, the next is refused.
    assert.equal(await inviteFromPage('second@example.com', 'viewer'), 302);
    assert.equal(await inviteFromPage('third@example.com', 'viewer'), 302);
    assert.equal(await inviteFromPage('fourth@example.com', 'viewer'), 429);
    assert.match(await owner.locator('#invite-form-error').innerText(), /^Too many attempts\. Try again in \d+ (seconds?|minutes)\.$/);
    assert.equal(await owner.getByLabel('Their e-mail address').inputValue(), 'fourth@example.com');
    await assertAccessible(owner);
  });

  it('a revoked invitation’s link answers that it is no longer valid, for an invitee who signs in', async () => {
    const late = await person();
    await signUpAndVerify(late.page, platform, 'second@example.com', 'Sam');
    await signOut(late.page);

    await owner.goto(`/merchant?merchant=${merchantId}`);
    await owner.getByRole('button', { name: 'Revoke the invitation of second@example.com' }).click();
    await owner.waitForSelector('text=The invitation is revoked: its link no longer works.');
    assert.equal((await rowOf(owner, 'second@example.com'))[2], 'revoked');

    await late.page.goto(await acceptLinkFor('second@example.com'));
    await late.page.waitForURL('**/sign-in?next=%2Finvitations%2Faccept');
    // Signs in on the page the link led to (signIn() would open a fresh sign-in page without `next`).
    await late.page.getByLabel('E-mail address').fill('second@example.com');
    await late.page.getByLabel('Password').fill(PASSWORD);
    await late.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await late.page.waitForURL('**/invitations/accept');
    const [response] = await Promise.all([
      late.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/invitations/accept')),
      late.page.getByRole('button', { name: 'Accept the invitation' }).click(),
    ]);
    assert.equal(response.status(), 404);
    assert.match(await late.page.getByRole('alert').innerText(), /^This invitation is no longer valid/);
    assert.equal(await late.page.getByRole('button', { name: 'Accept the invitation' }).count(), 0);
    await assertAccessible(late.page);

    // The dead token is forgotten: the next visit says so without asking the API again.
    const again = await late.page.goto('/invitations/accept');
    assert.equal(again!.status(), 404);
    await late.context.close();
  });

  it('refuses invitation forms without the CSRF token, and the pages broke no Content-Security-Policy', async () => {
    const forged = await owner.context().request.post(`/merchant/${merchantId}/invitations`, {
      form: { email: 'forged@example.com', role: 'viewer' },
      maxRedirects: 0,
    });
    assert.equal(forged.status(), 403);
    const invitationId = 'any';
    const revoke = await owner.context().request.post(`/merchant/${merchantId}/invitations/${invitationId}/revoke`, {
      form: { _csrf: 'guess' },
      maxRedirects: 0,
    });
    assert.equal(revoke.status(), 403);
    await owner.goto(`/merchant?merchant=${merchantId}`);
    assert.equal(await owner.locator('tr[data-invitation="forged@example.com"]').count(), 0);
    assert.deepEqual(suite.problems(), []);
  });
});
