import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { assertAccessible } from './support/browser.js';
import { createBusiness, PASSWORD, signIn, signOut, signUpAndVerify, signUpAsAdmin } from './support/flows.js';
import { type RunningPlatform } from './support/platform.js';
import { platformInChromium } from './support/suite.js';

/** Every key of a JSON document, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
  return [];
}

describe('console in Chromium: activity, export, deletion, the audit log, a refused webhook address', function () {
  this.timeout(120_000);
  const running = platformInChromium();
  const person = running.person;
  let platform: RunningPlatform;
  before(() => (platform = running.platform()));

  it('recent activity shows the sign-in, with its time, IP address and browser', async () => {
    const { page, context } = await person();
    await signUpAndVerify(page, platform, 'active@example.com');
    await signOut(page);
    await signIn(page, 'active@example.com');
    await page.waitForURL('**/account');
    await page.getByRole('link', { name: 'Activity', exact: true }).click();
    await page.waitForURL('**/account/activity');
    const row = page.locator('tr[data-event-type="user.signed_in"]').first();
    const cells = await row.locator('td').allInnerTexts();
    assert.equal(cells[0], 'Signed in');
    assert.match(cells[1] ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    assert.match(cells[2] ?? '', /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    assert.equal(cells[3], 'Chrome on Linux');
    assert.equal(await page.locator('tr[data-event-type="user.registered"]').count(), 1);
    await assertAccessible(page);
    await context.close();
  });

  it('export downloads a JSON document with the email and no secret, never cached', async () => {
    const { page, context } = await person();
    await signUpAndVerify(page, platform, 'exporter@example.com');
    await page.getByRole('link', { name: 'Your data' }).click();
    await assertAccessible(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download my data' }).click()]);
    assert.match(download.suggestedFilename(), /^my-data-\d{4}-\d\d-\d\d\.json$/);
    const text = await readFile(await download.path(), 'utf8');
    const exported = JSON.parse(text) as { user: { email: string } };
    assert.equal(exported.user.email, 'exporter@example.com');
    assert.ok(!text.includes(PASSWORD), 'no password');
    assert.deepEqual(
      keysOf(exported).filter((key) => /hash|secret|password|token|code/i.test(key)),
      [],
      'no field holding a secret',
    );

    const answer = await context.request.get('/account/export/download');
    assert.equal(answer.headers()['cache-control'], 'no-store');
    assert.match(answer.headers()['content-disposition'] ?? '', /^attachment; filename="my-data-/);
    assert.match(answer.headers()['content-type'] ?? '', /^application\/json/);
    await context.close();
  });

  it('deletes the account after DELETE is typed: the session ends, a goodbye shows, the address can register again', async () => {
    const { page, context } = await person();
    await signUpAndVerify(page, platform, 'leaver@example.com');
    await page.goto('/account/delete');
    await assertAccessible(page);
    await page.getByLabel('Type DELETE to confirm').fill('delete');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    assert.ok(await page.locator('#f-confirm-error').isVisible(), 'the refusal sits beside the confirmation field');
    await page.getByLabel('Type DELETE to confirm').fill('DELETE');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.waitForURL('**/account/deleted');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Your account is deleted');
    await assertAccessible(page);
    await page.goto('/account');
    assert.match(page.url(), /\/sign-in\?next=%2Faccount$/, 'the console session is gone');

    await signUpAndVerify(page, platform, 'leaver@example.com');
    await context.close();
  });

  it('refuses a loopback webhook address beside the URL field when private targets are not allowed', async () => {
    const { page, context } = await person();
    await signUpAndVerify(page, platform, 'hooker@example.com');
    const merchantId = await createBusiness(page, 'Hook Shop');
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.waitForURL(`**/merchant/webhooks`);
    await page.getByLabel('URL (https://)').fill('https://127.0.0.1:8443/hook');
    await page.getByLabel('All events').check();
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Add endpoint' }).click(),
    ]);
    assert.equal(answer.status(), 422);
    assert.ok(await page.locator('#f-url-error').isVisible(), 'the refusal sits beside the URL field');
    assert.equal(await page.getByLabel('URL (https://)').inputValue(), 'https://127.0.0.1:8443/hook', 'what was typed is kept');
    assert.equal(await page.locator('[data-webhook-secret]').count(), 0);
    assert.equal(await page.locator('tr[data-webhook]').count(), 0);
    assert.ok(merchantId);
    await assertAccessible(page);
    await context.close();
  });

  it('a viewer is refused the webhooks page; the last owner of a business with members cannot delete the account, and is told which', async () => {
    const owner = await person();
    await signUpAndVerify(owner.page, platform, 'keeper@example.com');
    const merchantId = await createBusiness(owner.page, 'Keeper Goods');
    const viewer = await person();
    await signUpAndVerify(viewer.page, platform, 'watcher@example.com');

    // The viewer joins through the invitations API (the console's invitation pages are another engineer's).
    const tokenOf = async (email: string) => {
      const answer = await fetch(`${platform.base}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      return ((await answer.json()) as { access_token: string }).access_token;
    };
    const invited = await fetch(`${platform.base}/merchants/${merchantId}/invitations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenOf('keeper@example.com')}` },
      body: JSON.stringify({ email: 'watcher@example.com', role: 'viewer' }),
    });
    assert.equal(invited.status, 201);
    const invitation = await eventually(async () => {
      const mail = (await platform.ses.emailsTo('watcher@example.com')).find((m) => /Invitation token: mpi_/.test(m.body.text ?? ''));
      return mail && /Invitation token: (mpi_\S+)/.exec(mail.body.text ?? '')?.[1];
    }, 'the invitation mail');
    const accepted = await fetch(`${platform.base}/merchants/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenOf('watcher@example.com')}` },
      body: JSON.stringify({ token: invitation }),
    });
    assert.equal(accepted.status, 200);

    const refused = await viewer.page.goto(`/merchant/webhooks?merchant=${merchantId}`);
    assert.equal(refused?.status(), 403);
    assert.equal(await viewer.page.getByRole('heading', { level: 1 }).innerText(), 'Owners and admins only');

    await owner.page.goto('/account/delete');
    await owner.page.getByLabel('Type DELETE to confirm').fill('DELETE');
    await owner.page.getByRole('button', { name: 'Delete my account' }).click();
    const blocked = owner.page.locator('[data-sole-owner]');
    assert.match(await blocked.innerText(), /last owner of Keeper Goods/);
    await assertAccessible(owner.page);
    await owner.page.goto('/account');
    assert.match(owner.page.url(), /\/account$/, 'still signed in: nothing was deleted');
    await owner.context.close();
    await viewer.context.close();
  });

  it('the audit log lists and filters events for an admin, shows a bad time beside its field, and is 403 for others', async () => {
    const other = await person();
    await signUpAndVerify(other.page, platform, 'curious@example.com');
    const denied = await other.page.goto('/admin/audit');
    assert.equal(denied?.status(), 403);
    assert.equal(await other.page.getByRole('link', { name: 'Audit log' }).count(), 0);

    const admin = await person();
    await signUpAsAdmin(admin.page, platform);
    await admin.page.getByRole('link', { name: 'Audit log' }).click();
    await admin.page.waitForURL('**/admin/audit');
    assert.ok((await admin.page.locator('tr[data-event-type="user.registered"]').count()) >= 2);
    await assertAccessible(admin.page);

    await admin.page.getByLabel('Event type').selectOption('user.signed_in');
    await admin.page.getByRole('button', { name: 'Filter' }).click();
    const types = await admin.page.locator('tr[data-event-type]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-type')));
    assert.ok(types.length >= 1);
    assert.deepEqual(new Set(types), new Set(['user.signed_in']));

    const bad = await admin.page.goto('/admin/audit?since=yesterday');
    assert.equal(bad?.status(), 422);
    assert.ok(await admin.page.locator('#f-since-error').isVisible(), 'the refusal sits beside the since field');
    await assertAccessible(admin.page);
    await other.context.close();
    await admin.context.close();
  });

  it('ran every page without a CSP violation or a script error', () => {
    assert.deepEqual(running.problems(), []);
  });
});
