import assert from 'node:assert/strict';
import { eventually } from '@merchant-platform/common/testing/eventually';
import type { SpawnedService } from '@merchant-platform/common/testing/processes';
import { scrape } from '@merchant-platform/common/testing/prometheus-text';
import { teamsStage } from '../teams/teams-harness.js';
import { KEY, startDispatcherProcess } from './dispatcher-process.js';
import { startHttpsReceiver } from './https-receiver.js';
import { createWebhook, eventFor } from './webhooks-harness.js';

const DEPTH = 'merchant_webhook_queue_depth';
const OLDEST_AGE = 'merchant_webhook_queue_oldest_age_seconds';

describe('the webhook queue gauges, scraped from the dispatcher process', function () {
  this.timeout(180_000);
  const stage = teamsStage({ module: { webhooks: { WEBHOOK_SECRET_KEY: KEY, WEBHOOK_ALLOW_PRIVATE_TARGETS: true } } });
  let receiver: Awaited<ReturnType<typeof startHttpsReceiver>>;
  let dispatcher: SpawnedService & { base: string };

  before(async () => {
    receiver = await startHttpsReceiver();
    dispatcher = await startDispatcherProcess(stage.databaseUrl, receiver.caFile);
  });
  after(async () => {
    dispatcher?.child.kill('SIGTERM');
    await dispatcher?.exited;
    await receiver?.stop();
  });

  const gauges = async () => {
    const scraped = await scrape(dispatcher.base);
    return { families: scraped.families, depth: scraped.value(DEPTH), oldestAge: scraped.value(OLDEST_AGE) };
  };

  it('exports both gauges at zero while nothing is pending', async () => {
    const { families, depth, oldestAge } = await gauges();
    assert.ok(families.has(DEPTH) && families.has(OLDEST_AGE), 'both families are declared');
    assert.deepEqual({ depth, oldestAge }, { depth: 0, oldestAge: 0 });
  });

  it('counts two deliveries pending while the receiver is down, with the age of the oldest, and none once delivered', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    await createWebhook(stage, owner, merchantId, { url: receiver.url(), events: ['*'] });
    await receiver.close();
    const queuedAt = Date.now();
    const events = [eventFor(merchantId), eventFor(merchantId)];
    for (const event of events) assert.equal(await stage.module.enqueueWebhookDeliveries(event), 1);

    // Failed attempts leave a delivery pending: both are tried and still counted.
    await eventually(
      async () => {
        const [rows] = await stage.db.sequelize.query(
          "SELECT COUNT(*) AS n FROM merchant_webhook_deliveries WHERE status = 'pending' AND attempts >= 1",
        );
        return Number((rows as { n: number }[])[0]!.n) === 2 ? true : undefined;
      },
      'both deliveries to have failed an attempt',
      { timeoutMs: 30_000 },
    );
    // A scrape whose query met a busy database keeps the last values: read until the gauge catches up.
    const down = await eventually(async () => {
      const now = await gauges();
      return now.depth === 2 ? now : undefined;
    }, 'the depth gauge to count both deliveries');
    assert.equal(down.depth, 2);
    assert.ok(down.oldestAge > 0, `oldest age ${down.oldestAge}`);
    // Measured from when the deliveries were queued: no more than the time since then (a clock or time-zone slip would show).
    assert.ok(down.oldestAge <= (Date.now() - queuedAt) / 1000 + 1, `oldest age ${down.oldestAge}`);

    await receiver.listen();
    await eventually(
      () => (receiver.received.filter((post) => events.some((e) => e.id === post.headers['webhook-id'])).length === 2 ? true : undefined),
      'both deliveries to arrive',
      // The back-off doubles from 300 ms while the receiver is down, so the next try may come up to
      // about twice the time it was down later: on a busy machine that is well over 30 s.
      { timeoutMs: 90_000 },
    );
    await eventually(
      async () => {
        const now = await gauges();
        return now.depth === 0 && now.oldestAge === 0 ? true : undefined;
      },
      'the queue gauges to read empty',
      { timeoutMs: 10_000 },
    );
  });
});
