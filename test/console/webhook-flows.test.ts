import assert from 'node:assert/strict';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { startHttpsReceiver } from '../../services/merchants/test/webhooks/https-receiver.js';
import { assertAccessible } from './support/browser.js';
import { createBusiness, signUpAndVerify } from './support/flows.js';
import { platformInChromium } from './support/suite.js';

describe('console in Chromium: webhooks (private targets allowed, a local HTTPS receiver)', function () {
  this.timeout(120_000);
  const running = platformInChromium({ allowPrivateWebhooks: true });
  let receiver: Awaited<ReturnType<typeof startHttpsReceiver>>;
  before(async () => (receiver = await startHttpsReceiver()));
  after(async () => receiver?.stop());

  it('creates an endpoint (secret shown once), sends a test, lists its delivery, retries it and deletes the endpoint', async () => {
    const { page, context } = await running.person();
    await signUpAndVerify(page, running.platform(), 'hooks@example.com');
    await createBusiness(page, 'Hook Shop');
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await assertAccessible(page);
    const url = receiver.url('/hook');

    // No event ticked: the API's refusal sits beside the events.
    await page.getByLabel('URL (https://)').fill(url);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    assert.ok(await page.locator('#events-error').isVisible(), 'the refusal sits beside the event types');

    await page.getByLabel('Description (optional)').fill('Orders system');
    await page.getByLabel('All events').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = await page.locator('[data-webhook-secret]').innerText();
    assert.match(secret, /^whsec_/);
    assert.ok(await page.getByRole('button', { name: 'Copy secret' }).isVisible());
    assert.deepEqual(
      await page
        .locator(`tr[data-webhook="${url}"] td`)
        .allInnerTexts()
        .then((cells) => cells.slice(0, 3)),
      [`${url}\nOrders system`, 'all events', 'enabled'],
    );
    await assertAccessible(page);

    // Shown once: the list afterwards never holds it.
    await page.getByRole('link', { name: 'Webhooks' }).click();
    assert.equal(await page.locator('[data-webhook-secret]').count(), 0);
    assert.ok(!(await page.content()).includes(secret));

    await page.getByRole('button', { name: `Send a test to ${url}` }).click();
    await page.waitForURL(/\/deliveries\?merchant=/);
    await page.waitForSelector('text=A test event is on its way to this endpoint.');
    // The dispatcher attempts it within moments (TLS to the receiver's own certificate may fail: still an attempt).
    const row = await eventually(async () => {
      await page.reload();
      const found = page.locator('tr[data-delivery]');
      if ((await found.count()) !== 1) return undefined;
      const cells = await found.locator('td').allInnerTexts();
      return Number(cells[2]) >= 1 ? cells : undefined;
    }, 'an attempted delivery row');
    assert.match(row[0] ?? '', /^webhook\.test\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    assert.match(row[1] ?? '', /^(pending|delivered|failed)/);
    assert.match(row[3] ?? '', /^(HTTP \d{3}|none yet)$/);
    await assertAccessible(page);

    await page.getByRole('button', { name: /^Retry the webhook\.test delivery/ }).click();
    await page.waitForSelector('text=The delivery is being attempted again now.');
    assert.equal(await page.locator('tr[data-delivery]').count(), 1, 'a retry is the same delivery, not a new one');

    await page.getByRole('link', { name: 'All endpoints' }).click();
    await page.getByRole('button', { name: `Delete ${url}` }).click();
    await page.waitForSelector('text=The endpoint is deleted with its delivery log; it receives no more events.');
    assert.equal(await page.locator('tr[data-webhook]').count(), 0);
    await context.close();
  });

  it('ran every page without a CSP violation or a script error', () => {
    assert.deepEqual(running.problems(), []);
  });
});
