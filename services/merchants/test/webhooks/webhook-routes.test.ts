import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { assertError, type ErrorBody } from '@merchant-platform/common/testing/http-server';
import type { PlatformEvent } from '../../src/domain/webhooks/event-types.js';
import { issueKey } from '../api-keys/api-keys-harness.js';
import { teamsStage } from '../teams/teams-harness.js';
import {
  createWebhook,
  PUBLIC_ADDRESS,
  tableResolver,
  type CreatedWebhook,
  type DeliveryLog,
  type WebhookList,
} from './webhooks-harness.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const resolver = tableResolver({
  'hooks.example.com': [PUBLIC_ADDRESS],
  'also.example.com': [PUBLIC_ADDRESS, '2606:2800:220:1:248:1893:25c8:1946'],
  localhost: ['127.0.0.1', '::1'],
  'metadata.example.com': ['169.254.169.254'],
  'kubernetes.default.svc': ['10.96.0.1'],
  'pods.example.com': ['100.64.3.7'],
  'mixed.example.com': [PUBLIC_ADDRESS, '192.168.1.10'],
  'mapped.example.com': ['::ffff:10.0.0.5'],
  'ula.example.com': ['fd00::1'],
});

const eventFor = (merchantId: string, type: string): PlatformEvent => ({
  id: randomUUID(),
  type,
  created_at: new Date().toISOString(),
  actor: { type: 'system', id: null },
  subject: { type: 'merchant', id: merchantId },
  merchant_id: merchantId,
  data: {},
});

describe('webhook endpoints', () => {
  const stage = teamsStage({ module: { webhooks: { WEBHOOK_SECRET_KEY: KEY }, resolveHost: resolver } });

  it('creates an endpoint, shows its whsec_ secret once and stores it only sealed', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const res = await stage.call<CreatedWebhook>('POST', `/merchants/${merchantId}/webhooks`, {
      token: owner.token(),
      json: { url: 'https://hooks.example.com/in', events: ['member.joined', 'api_key.created'], description: 'CRM' },
    });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), ['secret', 'webhook']);
    const { webhook, secret } = res.body;
    assert.deepEqual(webhook, {
      id: webhook.id,
      url: 'https://hooks.example.com/in',
      events: ['member.joined', 'api_key.created'],
      description: 'CRM',
      enabled: true,
      created_at: webhook.created_at,
    });
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);

    const list = await stage.call<WebhookList>('GET', `/merchants/${merchantId}/webhooks`, { token: owner.token() });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, { items: [webhook] });
    assert.ok(!list.text.includes(secret.slice(6)));
    const [rows] = await stage.db.sequelize.query('SELECT sealed_secret FROM merchant_webhooks WHERE id = ?', {
      replacements: [webhook.id],
    });
    const sealed = (rows as { sealed_secret: string }[])[0]!.sealed_secret;
    assert.match(sealed, /^v1\./);
    assert.ok(!sealed.includes(secret.slice(6)) && !stage.logs.text().includes(secret.slice(6)));
  });

  it('accepts * for every event type, and refuses an unknown type, http:// and credentials in the URL with 422', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const all = await createWebhook(stage, owner, merchantId, { url: 'https://also.example.com/', events: ['*'] });
    assert.deepEqual(all.webhook.events, ['*']);
    for (const body of [
      { url: 'https://hooks.example.com/', events: ['user.teleported'] },
      { url: 'https://hooks.example.com/', events: [] },
      { url: 'http://hooks.example.com/', events: ['*'] },
      { url: 'https://user:pw@hooks.example.com/', events: ['*'] },
      { url: 'not a url', events: ['*'] },
      { events: ['*'] },
    ]) {
      const res = await stage.call<ErrorBody>('POST', `/merchants/${merchantId}/webhooks`, { token: owner.token(), json: body });
      assertError(res, 422, 'validation_failed', JSON.stringify(body));
    }
  });

  it('refuses URLs that are or resolve to loopback, private, link-local, CGNAT, cluster or other non-public addresses', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const refused = [
      'https://127.0.0.1/',
      'https://127.8.9.10:8443/',
      'https://10.1.2.3/',
      'https://172.16.0.1/',
      'https://192.168.0.1/',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/',
      'https://0.0.0.0/',
      'https://[::1]/',
      'https://[::]/',
      'https://[fe80::1]/',
      'https://[fd12:3456::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[::ffff:a9fe:a9fe]/',
      'https://[64:ff9b::a00:1]/',
      'https://224.0.0.1/',
      'https://localhost/',
      'https://metadata.example.com/',
      'https://kubernetes.default.svc/',
      'https://pods.example.com/',
      'https://mixed.example.com/',
      'https://mapped.example.com/',
      'https://ula.example.com/',
      'https://unresolvable.example.com/',
    ];
    for (const url of refused) {
      const res = await stage.call<ErrorBody>('POST', `/merchants/${merchantId}/webhooks`, {
        token: owner.token(),
        json: { url, events: ['*'] },
      });
      assertError(res, 422, 'validation_failed', url);
      assert.equal(res.body.error.details?.[0]?.path, 'url', url);
    }
    const list = await stage.call<WebhookList>('GET', `/merchants/${merchantId}/webhooks`, { token: owner.token() });
    assert.deepEqual(list.body.items, []);
  });

  it('lets owners, admins and keys with webhooks:manage in; developers, viewers, other keys and strangers not', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const body = { url: 'https://hooks.example.com/', events: ['*'] };
    const admin = await stage.seat(merchantId, 'admin');
    assert.equal((await createWebhook(stage, admin, merchantId, body)).webhook.url, body.url);
    for (const role of ['developer', 'viewer'] as const) {
      const member = await stage.seat(merchantId, role);
      assertError(
        await stage.call('POST', `/merchants/${merchantId}/webhooks`, { token: member.token(), json: body }),
        403,
        'forbidden',
        role,
      );
      assertError(await stage.call('GET', `/merchants/${merchantId}/webhooks`, { token: member.token() }), 403, 'forbidden', role);
    }
    assertError(await stage.call('GET', `/merchants/${merchantId}/webhooks`, { token: stage.person().token() }), 404, 'not_found');

    const manager = await issueKey(stage, owner, merchantId, { name: 'hooks', scopes: ['webhooks:manage'] });
    const byKey = await stage.call<CreatedWebhook>('POST', `/merchants/${merchantId}/webhooks`, { token: manager.secret, json: body });
    assert.equal(byKey.status, 201, byKey.text);
    const reader = await issueKey(stage, owner, merchantId, { name: 'read', scopes: ['merchant:read'] });
    assertError(await stage.call('GET', `/merchants/${merchantId}/webhooks`, { token: reader.secret }), 403, 'insufficient_scope');
  });

  it('deletes an endpoint (204, then 404) and never another merchant’s', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const other = stage.person();
    const otherMerchant = await stage.merchantOwnedBy(other);
    const { webhook } = await createWebhook(stage, owner, merchantId, { url: 'https://hooks.example.com/', events: ['*'] });
    assertError(
      await stage.call('DELETE', `/merchants/${otherMerchant}/webhooks/${webhook.id}`, { token: other.token() }),
      404,
      'not_found',
    );
    assert.equal((await stage.call('DELETE', `/merchants/${merchantId}/webhooks/${webhook.id}`, { token: owner.token() })).status, 204);
    assertError(await stage.call('DELETE', `/merchants/${merchantId}/webhooks/${webhook.id}`, { token: owner.token() }), 404, 'not_found');
  });

  it('queues one delivery per enabled endpoint of the merchant subscribed to the type or *, in the caller’s transaction', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const otherMerchant = await stage.merchantOwnedBy(stage.person());
    const joined = await createWebhook(stage, owner, merchantId, { url: 'https://hooks.example.com/a', events: ['member.joined'] });
    const all = await createWebhook(stage, owner, merchantId, { url: 'https://hooks.example.com/b', events: ['*'] });
    const keys = await createWebhook(stage, owner, merchantId, { url: 'https://hooks.example.com/c', events: ['api_key.created'] });

    const event = eventFor(merchantId, 'member.joined');
    assert.equal(await stage.module.enqueueWebhookDeliveries(event), 2);
    // Offered twice (a pipeline retry), it is still one delivery per endpoint.
    await stage.module.enqueueWebhookDeliveries(event);
    assert.equal(await stage.module.enqueueWebhookDeliveries(eventFor(otherMerchant, 'member.joined')), 0);
    await stage.db.sequelize
      .transaction(async (transaction) => {
        assert.equal(await stage.module.enqueueWebhookDeliveries(eventFor(merchantId, 'api_key.created'), { transaction }), 2);
        throw new Error('the recording transaction fails');
      })
      .catch(() => undefined);

    const logOf = async (id: string) =>
      (await stage.call<DeliveryLog>('GET', `/merchants/${merchantId}/webhooks/${id}/deliveries`, { token: owner.token() })).body;
    assert.deepEqual((await logOf(keys.webhook.id)).items, []);
    const joinedLog = await logOf(joined.webhook.id);
    assert.deepEqual(joinedLog, {
      items: [
        {
          id: joinedLog.items[0]!.id,
          event_id: event.id,
          event_type: 'member.joined',
          status: 'pending',
          attempts: 0,
          response_status: null,
          next_attempt_at: joinedLog.items[0]!.next_attempt_at,
          created_at: joinedLog.items[0]!.created_at,
          delivered_at: null,
        },
      ],
      next_cursor: null,
    });
    assert.deepEqual(
      (await logOf(all.webhook.id)).items.map((item) => item.event_id),
      [event.id],
    );
  });

  it('pages the delivery log with limit and cursor, and answers 404 for a delivery it does not have', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const { webhook } = await createWebhook(stage, owner, merchantId, { url: 'https://hooks.example.com/', events: ['*'] });
    for (let i = 0; i < 3; i++)
      assert.equal(
        (await stage.call('POST', `/merchants/${merchantId}/webhooks/${webhook.id}/test`, { token: owner.token() })).status,
        202,
      );
    const path = `/merchants/${merchantId}/webhooks/${webhook.id}/deliveries`;
    const first = await stage.call<DeliveryLog>('GET', `${path}?limit=2`, { token: owner.token() });
    assert.equal(first.body.items.length, 2);
    assert.ok(first.body.next_cursor);
    const second = await stage.call<DeliveryLog>('GET', `${path}?limit=2&cursor=${first.body.next_cursor}`, { token: owner.token() });
    assert.equal(second.body.items.length, 1);
    assert.equal(second.body.next_cursor, null);
    assert.ok(second.body.items.every((item) => item.event_type === 'webhook.test'));
    assertError(await stage.call('GET', `${path}?cursor=bogus`, { token: owner.token() }), 422, 'validation_failed');
    assertError(await stage.call('GET', `${path}?limit=0`, { token: owner.token() }), 422, 'validation_failed');
    assertError(await stage.call('POST', `${path}/${randomUUID()}/retry`, { token: owner.token() }), 404, 'not_found');
    assertError(
      await stage.call('POST', `/merchants/${merchantId}/webhooks/${randomUUID()}/test`, { token: owner.token() }),
      404,
      'not_found',
    );
    assert.equal((await stage.call('POST', `${path}/${second.body.items[0]!.id}/retry`, { token: owner.token() })).status, 202);
  });
});
