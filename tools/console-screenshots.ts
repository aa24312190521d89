/**
 * `npm run screenshots`: the console's main pages in Debian's Chromium, written to
 * docs/screenshots/ for the README. Runs the same platform and flows as the browser tests.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, personContext } from '../test/console/support/browser.js';
import { PASSWORD, signIn, signOut, signUpAndVerify } from '../test/console/support/flows.js';
import { ADMIN_EMAIL, startPlatform } from '../test/console/support/platform.js';
import { repoRoot } from './k8s-tools.js';

const OUT = join(repoRoot, 'docs', 'screenshots');
mkdirSync(OUT, { recursive: true });

// Private targets allowed, so the webhook page can show an endpoint on this machine.
const platform = await startPlatform({ allowPrivateWebhooks: true });
const browser = await launchChromium();
const shot = (page: Page, name: string) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
try {
  const { page, context } = await personContext(browser, platform.base);
  await page.setViewportSize({ width: 900, height: 700 });
  await page.goto('/sign-in');
  await shot(page, 'sign-in');
  await page.goto('/sign-up');
  await page.getByLabel('Password', { exact: true }).fill('Correct-hor');
  await shot(page, 'sign-up');

  await signUpAndVerify(page, platform, ADMIN_EMAIL, 'Ada');
  await signOut(page);
  await signIn(page, ADMIN_EMAIL, PASSWORD);
  await page.waitForURL('**/account');
  await page.goto('/merchant');
  await page.getByLabel('Business name').fill('Ada’s Bakery');
  await page.getByLabel('Street and number').fill('1 Main St');
  await page.getByLabel('City').fill('Springfield');
  await page.getByLabel('Country').fill('US');
  await page.getByRole('button', { name: 'Save profile' }).click();
  // One invitation, so the page shows the invitations list as well as the invite form.
  await page.getByLabel('Their e-mail address').fill('grace@example.com');
  await page.getByLabel('Role', { exact: true }).selectOption('developer');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await page.waitForSelector('text=An invitation is on its way');
  await shot(page, 'merchant');
  await page.goto('/merchant/api-keys');
  await page.getByLabel('Name').fill('Reporting');
  await page.getByLabel('merchant:read').check();
  await page.getByRole('button', { name: 'Create key' }).click();
  await shot(page, 'api-keys');
  await page.goto('/account');
  await shot(page, 'account');
  await page.goto('/account/security');
  await shot(page, 'security');
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await shot(page, 'totp-enrol');
  await page.goto('/admin/users');
  await shot(page, 'admin-users');
  await page.goto('/account/activity');
  await shot(page, 'account-activity');
  await page.goto('/account/export');
  await shot(page, 'account-export');
  await page.goto('/account/delete');
  await shot(page, 'account-delete');
  await page.goto('/merchant/webhooks');
  await page.getByLabel('URL (https://)').fill('https://127.0.0.1:9/hooks/orders');
  await page.getByLabel('Description (optional)').fill('Orders system');
  await page.getByLabel('All events').check();
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await shot(page, 'webhooks');
  await page.getByRole('button', { name: /^Send a test/ }).click();
  await page.waitForURL(/\/deliveries\?/);
  await page.waitForTimeout(1500);
  await page.reload();
  await shot(page, 'webhook-deliveries');
  await page.goto('/admin/audit');
  await shot(page, 'admin-audit');
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/merchant');
  await page.screenshot({ path: join(OUT, 'merchant-360px.png') });
  await context.close();
} finally {
  await browser.close();
  await platform.stop();
}
process.stdout.write(`screenshots written to ${OUT}\n`);
