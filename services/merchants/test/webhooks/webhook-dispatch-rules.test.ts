import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { HttpsWebhookSender } from '../../src/delivery/https-webhook-sender.js';
import type { PlatformEvent } from '../../src/domain/webhooks/event-types.js';
import { addressAllowed, WebhookTargetPolicy, type Resolver } from '../../src/domain/webhooks/target-policy.js';
import type { WebhookEndpoint } from '../../src/domain/webhooks/webhook.js';
import { teamsStage } from '../teams/teams-harness.js';
import { createWebhook, PUBLIC_ADDRESS, type DeliveryLog, type WebhookList } from './webhooks-harness.js';

const KEY = Buffer.alloc(32, 3).toString('base64');
const THREE_DAYS_MS = 3 * 24 * 3600 * 1000;

const eventFor = (merchantId: string): PlatformEvent => ({
  id: randomUUID(),
  type: 'merchant.updated',
  created_at: new Date().toISOString(),
  actor: { type: 'system', id: null },
  subject: { type: 'merchant', id: merchantId },
  merchant_id: merchantId,
  data: {},
});

/** A loopback TCP listener that records who connected and the TLS ClientHello's bytes, and answers nothing. */
async function connectionRecorder() {
  const hellos: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', (chunk: Buffer) => {
      hellos.push(chunk);
      socket.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    hellos,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhook address rules', () => {
  it('classifies only public unicast addresses as reachable, IPv4-mapped IPv6 judged as its IPv4 address', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      assert.equal(addressAllowed(address), true, address);
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.31.255.255',
      '192.168.10.1',
      '169.254.0.1',
      '100.100.100.100',
      '0.0.0.0',
      '255.255.255.255',
      '224.0.0.251',
      '192.0.2.1',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:192.168.0.1',
      '64:ff9b::7f00:1',
      '2002:7f00:1::',
      'not-an-address',
    ]) {
      assert.equal(addressAllowed(address), false, address);
    }
  });

  it('refuses a host whose answer rebinds to 127.0.0.1 after passing the check, and calls the resolver once per check', async () => {
    const answers = [[PUBLIC_ADDRESS], ['127.0.0.1']];
    const asked: string[] = [];
    const rebinding: Resolver = async (hostname) => {
      asked.push(hostname);
      return (answers.shift() ?? ['127.0.0.1']).map((address) => ({ address, family: 4 }));
    };
    const policy = new WebhookTargetPolicy({ allowPrivate: false, resolve: rebinding });
    assert.deepEqual(await policy.resolveTarget('https://rebind.example.com/hook'), { address: PUBLIC_ADDRESS, family: 4 });
    await assert.rejects(policy.resolveTarget('https://rebind.example.com/hook'), { name: 'TargetRefused' });
    assert.deepEqual(asked, ['rebind.example.com', 'rebind.example.com']);
  });

  it('connects to the pinned address, whatever the name resolves to, and speaks TLS for the URL’s host name', async () => {
    const recorder = await connectionRecorder();
    try {
      // `.invalid` never resolves: only the pinned address can have led the socket to the recorder.
      const sender = new HttpsWebhookSender(2_000);
      await assert.rejects(
        sender.send({ url: `https://hooks.invalid:${recorder.port}/in`, body: '{}', headers: {} }, { address: '127.0.0.1', family: 4 }),
      );
      assert.equal(recorder.hellos.length, 1);
      assert.ok(recorder.hellos[0]!.includes(Buffer.from('hooks.invalid')), 'the ClientHello names the URL’s host (SNI)');
    } finally {
      await recorder.close();
    }
  });
});

describe('the webhook dispatcher’s rules, in process', () => {
  const disabled: WebhookEndpoint[] = [];
  let answers: string[][] = [];
  const resolver: Resolver = async () => (answers.shift() ?? [PUBLIC_ADDRESS]).map((address) => ({ address, family: 4 }));
  const stage = teamsStage({
    module: {
      webhooks: { WEBHOOK_SECRET_KEY: KEY, WEBHOOK_TIMEOUT_MS: 1_000 },
      resolveHost: resolver,
      onWebhookEndpointDisabled: (endpoint) => void disabled.push(endpoint),
    },
  });
  const deliveryRow = async (eventId: string) => {
    const [rows] = await stage.db.sequelize.query(
      'SELECT status, attempts, last_error, next_attempt_at FROM merchant_webhook_deliveries WHERE event_id = ?',
      {
        replacements: [eventId],
      },
    );
    return (rows as { status: string; attempts: number; last_error: string | null; next_attempt_at: string | Date }[])[0]!;
  };

  it('re-checks the address at delivery time: a host that now resolves to loopback is never called', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const recorder = await connectionRecorder();
    try {
      answers = [[PUBLIC_ADDRESS]];
      await createWebhook(stage, owner, merchantId, { url: `https://rebind.example.com:${recorder.port}/`, events: ['*'] });
      answers = [['127.0.0.1']];
      const event = eventFor(merchantId);
      await stage.module.enqueueWebhookDeliveries(event);
      const attemptedAt = Date.now();
      assert.equal(await stage.module.webhookDispatcher.dispatchBatch(), 1);
      const row = await deliveryRow(event.id);
      assert.equal(row.status, 'pending');
      // The first retry: WEBHOOK_RETRY_BASE_MS (30 s by default) later or more, jittered up to twice that.
      const wait = new Date(row.next_attempt_at).getTime() - attemptedAt;
      assert.ok(wait >= 30_000 && wait <= 60_000 + 5_000, `first retry after ${wait} ms`);
      assert.equal(row.attempts, 1);
      assert.match(row.last_error ?? '', /may not reach/);
      assert.equal(recorder.hellos.length, 0);
    } finally {
      await recorder.close();
    }
  });

  it('fails a delivery for good once it is 3 days old, and disables an endpoint failing for 3 days, reporting it once', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const { webhook, secret } = await createWebhook(stage, owner, merchantId, { url: 'https://down.example.com:1/', events: ['*'] });
    const [old, queued] = [eventFor(merchantId), eventFor(merchantId)];
    await stage.module.enqueueWebhookDeliveries(old);
    const longAgo = new Date(Date.now() - THREE_DAYS_MS - 60_000);
    await stage.db.sequelize.query('UPDATE merchant_webhook_deliveries SET created_at = ? WHERE event_id = ?', {
      replacements: [longAgo, old.id],
    });
    await stage.db.sequelize.query('UPDATE merchant_webhooks SET failing_since = ? WHERE id = ?', { replacements: [longAgo, webhook.id] });
    // This one is not due yet; disabling the endpoint ends it too.
    await stage.module.enqueueWebhookDeliveries(queued);
    await stage.db.sequelize.query('UPDATE merchant_webhook_deliveries SET next_attempt_at = ? WHERE event_id = ?', {
      replacements: [new Date(Date.now() + 3_600_000), queued.id],
    });

    // PUBLIC_ADDRESS port 1 cannot be reached from here: the attempt fails within the timeout.
    assert.equal(await stage.module.webhookDispatcher.dispatchBatch(), 1);
    assert.equal((await deliveryRow(old.id)).status, 'failed');
    assert.equal((await deliveryRow(queued.id)).status, 'failed');
    assert.deepEqual(
      disabled.map((endpoint) => [endpoint.id, endpoint.enabled]),
      [[webhook.id, false]],
    );
    const list = await stage.call<WebhookList>('GET', `/merchants/${merchantId}/webhooks`, { token: owner.token() });
    assert.equal(list.body.items[0]!.enabled, false);
    // Recorded once, by the system, naming the endpoint by id and URL; never its secret.
    const events = await stage.call<{ items: PlatformEvent[] }>('GET', `/merchants/${merchantId}/events?type=webhook.disabled`, {
      token: owner.token(),
    });
    assert.deepEqual(
      events.body.items.map((e) => ({ type: e.type, actor: e.actor, subject: e.subject, merchant_id: e.merchant_id, data: e.data })),
      [
        {
          type: 'webhook.disabled',
          actor: { type: 'system', id: null },
          subject: { type: 'webhook', id: webhook.id },
          merchant_id: merchantId,
          data: { webhook_id: webhook.id, url: 'https://down.example.com:1/' },
        },
      ],
    );
    assert.ok(!events.text.includes(secret), 'the secret is in the event');
    // A disabled endpoint gets no new deliveries.
    assert.equal(await stage.module.enqueueWebhookDeliveries(eventFor(merchantId)), 0);
    const log = await stage.call<DeliveryLog>('GET', `/merchants/${merchantId}/webhooks/${webhook.id}/deliveries`, {
      token: owner.token(),
    });
    // Oldest first: the 3-day-old delivery, then the one disabling ended.
    assert.deepEqual(
      log.body.items.map((item) => [item.event_id, item.status, item.next_attempt_at]),
      [
        [old.id, 'failed', null],
        [queued.id, 'failed', null],
      ],
    );
  });
});
