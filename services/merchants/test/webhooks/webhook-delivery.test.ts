import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { eventually } from '@merchant-platform/common/testing/eventually';
import type { SpawnedService } from '@merchant-platform/common/testing/processes';
import { NEEDS_MYSQL, skipBecause } from '@merchant-platform/common/testing/skip';
import { teamsStage, type Person } from '../teams/teams-harness.js';
import { KEY, startDispatcherProcess } from './dispatcher-process.js';
import { startHttpsReceiver, type ReceivedPost } from './https-receiver.js';
import { createWebhook, eventFor, type CreatedWebhook } from './webhooks-harness.js';

describe('webhook delivery over HTTPS, by the dispatcher process', function () {
  this.timeout(120_000);
  const stage = teamsStage({ module: { webhooks: { WEBHOOK_SECRET_KEY: KEY, WEBHOOK_ALLOW_PRIVATE_TARGETS: true } } });
  let receiver: Awaited<ReturnType<typeof startHttpsReceiver>>;
  const dispatchers: SpawnedService[] = [];
  let owner: Person;
  let merchantId: string;
  let hook: CreatedWebhook;

  before(async () => {
    receiver = await startHttpsReceiver();
    dispatchers.push(await startDispatcherProcess(stage.databaseUrl, receiver.caFile));
    owner = stage.person();
    merchantId = await stage.merchantOwnedBy(owner);
    hook = await createWebhook(stage, owner, merchantId, { url: receiver.url(), events: ['*'] });
  });
  after(async () => {
    for (const child of dispatchers) {
      child.child.kill('SIGTERM');
      await child.exited;
    }
    await receiver?.stop();
  });

  const postsOf = (eventId: string) => receiver.received.filter((post) => post.headers['webhook-id'] === eventId);
  const statusOf = async (eventId: string) => {
    const [rows] = await stage.db.sequelize.query(
      'SELECT status, attempts, response_status FROM merchant_webhook_deliveries WHERE event_id = ?',
      {
        replacements: [eventId],
      },
    );
    return (rows as { status: string; attempts: number; response_status: number | null }[])[0];
  };
  /** The reference verification of the Standard Webhooks spec: throws unless the signature is right. */
  const verified = (post: ReceivedPost) => new Webhook(hook.secret).verify(post.body, post.headers);

  it('after 500, 500, 200 the event is delivered once, every attempt signed with the same webhook-id', async () => {
    const event = eventFor(merchantId);
    const answers = [500, 500, 200];
    receiver.answer = (post) => (post.headers['webhook-id'] === event.id ? (answers.shift() ?? 200) : 200);
    assert.equal(await stage.module.enqueueWebhookDeliveries(event), 1);

    await eventually(async () => ((await statusOf(event.id))?.status === 'delivered' ? true : undefined), 'the delivery to be delivered', {
      timeoutMs: 30_000,
    });
    const posts = postsOf(event.id);
    assert.equal(posts.length, 3);
    for (const post of posts) {
      assert.deepEqual(verified(post), event);
      assert.equal(post.headers['content-type'], 'application/json');
      assert.match(post.headers['webhook-timestamp']!, /^\d{10}$/);
    }
    assert.deepEqual(await statusOf(event.id), { status: 'delivered', attempts: 3, response_status: 200 });
    // Delivered means done: no further attempt comes.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(postsOf(event.id).length, 3);
  });

  it('keeps retrying while the receiver is down and delivers once after it comes back', async () => {
    receiver.answer = () => 200;
    await receiver.close();
    const event = eventFor(merchantId);
    await stage.module.enqueueWebhookDeliveries(event);
    await eventually(async () => (((await statusOf(event.id))?.attempts ?? 0) >= 3 ? true : undefined), 'three failed attempts', {
      timeoutMs: 30_000,
    });
    assert.equal((await statusOf(event.id))?.status, 'pending');
    await receiver.listen();
    await eventually(async () => ((await statusOf(event.id))?.status === 'delivered' ? true : undefined), 'delivery after the return', {
      timeoutMs: 30_000,
    });
    assert.equal(postsOf(event.id).length, 1);
    assert.deepEqual(verified(postsOf(event.id)[0]!), event);
  });

  it('reads no more than the start of an endless answer: a 200 that never ends is delivered, well within the timeout', async () => {
    const event = eventFor(merchantId);
    receiver.answer = () => 200;
    receiver.endless = (post) => post.headers['webhook-id'] === event.id;
    const started = Date.now();
    await stage.module.enqueueWebhookDeliveries(event);
    await eventually(async () => ((await statusOf(event.id))?.status === 'delivered' ? true : undefined), 'the delivery to be delivered', {
      timeoutMs: 30_000,
    });
    receiver.endless = () => false;
    assert.deepEqual(await statusOf(event.id), { status: 'delivered', attempts: 1, response_status: 200 });
    assert.ok(Date.now() - started < 4000 + 2000, 'it did not wait for the timeout (4 s)');
  });

  it('follows no redirect: a 302 is a failed attempt, and its Location is never called', async () => {
    const event = eventFor(merchantId);
    receiver.answer = (post) => (post.headers['webhook-id'] === event.id ? 302 : 200);
    receiver.headers = () => ({ location: receiver.url('/elsewhere') });
    await stage.module.enqueueWebhookDeliveries(event);
    // Counted at the receiver: a claim bumps `attempts` before its POST arrives.
    await eventually(() => (postsOf(event.id).length >= 2 ? true : undefined), 'two attempts', { timeoutMs: 30_000 });
    receiver.headers = () => ({});
    const row = await statusOf(event.id);
    assert.equal(row?.status, 'pending');
    assert.equal(row?.response_status, 302);
    assert.deepEqual(
      receiver.received.filter((post) => post.path === '/elsewhere'),
      [],
    );
    // Let it succeed, so the later tests start from a quiet queue.
    receiver.answer = () => 200;
    await eventually(async () => ((await statusOf(event.id))?.status === 'delivered' ? true : undefined), 'the delivery to be delivered', {
      timeoutMs: 30_000,
    });
  });

  it('two dispatcher processes on MariaDB deliver 300 events each exactly once', async function () {
    if (stage.db.dialect !== 'mysql') skipBecause(this, NEEDS_MYSQL);
    receiver.answer = () => 200;
    dispatchers.push(await startDispatcherProcess(stage.databaseUrl, receiver.caFile));
    const events = Array.from({ length: 300 }, () => eventFor(merchantId));
    const before = receiver.received.length;
    for (const event of events) await stage.module.enqueueWebhookDeliveries(event);

    const ids = new Set(events.map((event) => event.id));
    await eventually(
      () => (receiver.received.filter((post) => ids.has(post.headers['webhook-id']!)).length >= 300 ? true : undefined),
      '300 deliveries',
      {
        timeoutMs: 50_000,
        intervalMs: 200,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const posts = receiver.received.slice(before).filter((post) => ids.has(post.headers['webhook-id']!));
    const counts = new Map<string, number>();
    for (const post of posts) counts.set(post.headers['webhook-id']!, (counts.get(post.headers['webhook-id']!) ?? 0) + 1);
    assert.equal(counts.size, 300);
    assert.deepEqual([...new Set(counts.values())], [1]);
    const [rows] = await stage.db.sequelize.query(
      "SELECT COUNT(*) AS n FROM merchant_webhook_deliveries WHERE status = 'delivered' AND attempts = 1 AND event_id IN (?)",
      { replacements: [[...ids]] },
    );
    assert.equal(Number((rows as { n: number }[])[0]!.n), 300);
    // Both processes took part: each logged deliveries of its own.
    for (const child of dispatchers) assert.match(child.output(), /webhook delivered/);
  });
});
