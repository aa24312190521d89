import assert from 'node:assert/strict';
import type { DeliveredEvent, PlatformEvent } from '@merchant-platform/common/events/event';
import { CONTRACT_EVENT_KEYS } from '@merchant-platform/common/testing/event-shape';
import { assertError } from '@merchant-platform/common/testing/http-server';
import { issueKey, type IssuedKey } from '../api-keys/api-keys-harness.js';
import { invitationsStage } from '../invitations/invitations-harness.js';
import { profile, teamsStage, type Members, type OwnMerchant } from '../teams/teams-harness.js';
import { createWebhook, PUBLIC_ADDRESS, tableResolver, type DeliveryLog } from '../webhooks/webhooks-harness.js';

type EventPage = { items: PlatformEvent[]; next_cursor: string | null };
const SERVICE_TOKEN = 'merchants-events-test-service-token';

describe("merchants records its events and serves a merchant's events", function () {
  this.timeout(30_000);
  const stage = teamsStage({ serviceToken: SERVICE_TOKEN });
  const eventsOf = (merchantId: string, token: string, query = '') =>
    stage.call<EventPage>('GET', `/merchants/${merchantId}/events${query}`, { token });

  it('records profile, member and API-key changes in order, each with its actor, subject and allow-listed data', async () => {
    const owner = stage.person();
    const headers = { 'user-agent': 'merchant-events-test/1', 'x-request-id': 'create-merchant-1' };
    const created = await stage.call<OwnMerchant>('PUT', '/merchants/me', { token: owner.token(), headers, json: profile() });
    assert.equal(created.status, 201, created.text);
    const merchantId: string = created.body.merchant.id;
    assert.equal(
      (await stage.call('PUT', '/merchants/me', { token: owner.token(), json: profile({ business_name: 'Ada Two' }) })).status,
      200,
    );
    const developer = await stage.seat(merchantId, 'developer');
    const leaver = await stage.seat(merchantId, 'viewer');
    assert.equal(
      (await stage.call('PATCH', `/merchants/${merchantId}/members/${developer.sub}`, { token: owner.token(), json: { role: 'admin' } }))
        .status,
      200,
    );
    assert.equal((await stage.call('DELETE', `/merchants/${merchantId}/members/${leaver.sub}`, { token: leaver.token() })).status, 204);
    assert.equal(
      (await stage.call('PATCH', `/merchants/${merchantId}/settings`, { token: owner.token(), json: { require_mfa: false } })).status,
      200,
    );
    const key = await issueKey(stage, owner, merchantId, { name: 'CI', scopes: ['events:read'] });
    const rolled = await stage.call<IssuedKey>('POST', `/merchants/${merchantId}/api-keys/${key.api_key.id}/roll`, {
      token: owner.token(),
      json: { grace_seconds: 60 },
    });
    assert.equal(rolled.status, 201, rolled.text);
    assert.equal(
      (await stage.call('DELETE', `/merchants/${merchantId}/api-keys/${rolled.body.api_key.id}`, { token: owner.token() })).status,
      204,
    );
    // Revoking an ended key again changes nothing and records nothing.
    assert.equal(
      (await stage.call('DELETE', `/merchants/${merchantId}/api-keys/${rolled.body.api_key.id}`, { token: owner.token() })).status,
      204,
    );

    const res = await eventsOf(merchantId, owner.token(), '?limit=100');
    assert.equal(res.status, 200, res.text);
    const byOwner = { type: 'user', id: owner.sub };
    assert.deepEqual(
      res.body.items.map((e) => ({ type: e.type, actor: e.actor, subject: e.subject, data: e.data })),
      [
        { type: 'merchant.created', actor: byOwner, subject: { type: 'merchant', id: merchantId }, data: { name: 'Ada’s Bakery' } },
        { type: 'merchant.updated', actor: byOwner, subject: { type: 'merchant', id: merchantId }, data: { fields: ['business_name'] } },
        {
          type: 'member.role_changed',
          actor: byOwner,
          subject: { type: 'member', id: developer.sub },
          data: { user_id: developer.sub, from: 'developer', to: 'admin' },
        },
        {
          type: 'member.removed',
          actor: { type: 'user', id: leaver.sub },
          subject: { type: 'member', id: leaver.sub },
          data: { user_id: leaver.sub, role: 'viewer', left: true },
        },
        { type: 'merchant.updated', actor: byOwner, subject: { type: 'merchant', id: merchantId }, data: { fields: ['require_mfa'] } },
        {
          type: 'api_key.created',
          actor: byOwner,
          subject: { type: 'api_key', id: key.api_key.id },
          data: { name: 'CI', prefix: key.api_key.prefix, scopes: ['events:read'] },
        },
        {
          type: 'api_key.rolled',
          actor: byOwner,
          subject: { type: 'api_key', id: rolled.body.api_key.id },
          data: { name: 'CI', prefix: rolled.body.api_key.prefix, replaced_key_id: key.api_key.id, grace_seconds: 60 },
        },
        {
          type: 'api_key.revoked',
          actor: byOwner,
          subject: { type: 'api_key', id: rolled.body.api_key.id },
          data: { name: 'CI', prefix: rolled.body.api_key.prefix },
        },
      ],
    );
    const first = res.body.items[0]!;
    assert.deepEqual(Object.keys(first).sort(), CONTRACT_EVENT_KEYS);
    assert.deepEqual(
      { merchant_id: first.merchant_id, ip: first.ip, user_agent: first.user_agent, request_id: first.request_id },
      { merchant_id: merchantId, ip: '127.0.0.1', user_agent: 'merchant-events-test/1', request_id: 'create-merchant-1' },
    );
    assert.ok(!res.text.includes(key.secret) && !res.text.includes(rolled.body.secret), 'a key secret is in the events');
  });

  it('serves the events to an API key with events:read, refuses one without it, and pages and filters them', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const reader = await issueKey(stage, owner, merchantId, { name: 'reader', scopes: ['events:read'] });
    const other = await issueKey(stage, owner, merchantId, { name: 'other', scopes: ['merchant:read'] });
    const byKey = await eventsOf(merchantId, reader.secret, '?type=api_key.created');
    assert.equal(byKey.status, 200, byKey.text);
    assert.deepEqual(
      byKey.body.items.map((e) => e.data['name']),
      ['reader', 'other'],
    );
    assertError(await eventsOf(merchantId, other.secret), 403, 'insufficient_scope');
    const elsewhere = await stage.merchantOwnedBy(stage.person());
    assertError(await eventsOf(elsewhere, reader.secret), 404, 'not_found');

    const page1 = await eventsOf(merchantId, reader.secret, '?limit=2');
    const page2 = await eventsOf(merchantId, reader.secret, `?limit=2&cursor=${page1.body.next_cursor}`);
    assert.deepEqual(
      [...page1.body.items, ...page2.body.items].map((e) => e.type),
      ['merchant.created', 'api_key.created', 'api_key.created'],
    );
    assert.equal(page2.body.next_cursor, null);
    assertError(await eventsOf(merchantId, reader.secret, '?type=nope'), 422, 'validation_failed');
    assertError(await eventsOf(merchantId, reader.secret, '?cursor=garbage'), 422, 'validation_failed');
  });

  it('lets owners and admins read the events, not developers, viewers or strangers', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const admin = await stage.seat(merchantId, 'admin');
    assert.equal((await eventsOf(merchantId, admin.token())).status, 200);
    assertError(await eventsOf(merchantId, (await stage.seat(merchantId, 'developer')).token()), 403, 'forbidden');
    assertError(await eventsOf(merchantId, (await stage.seat(merchantId, 'viewer')).token()), 403, 'forbidden');
    assertError(await eventsOf(merchantId, stage.person().token()), 404, 'not_found');
  });

  describe("acting on auth's events delivered to POST /internal/events", () => {
    const deliver = (event: DeliveredEvent, token = SERVICE_TOKEN) =>
      stage.call('POST', '/internal/events', { token, json: event, contract: false });
    const members = async (merchantId: string, token: string) =>
      (await stage.call<Members>('GET', `/merchants/${merchantId}/members`, { token })).body.items;

    it("refreshes a member's email and name everywhere, once per event id", async () => {
      const owner = stage.person();
      const merchantId = await stage.merchantOwnedBy(owner);
      const member = await stage.seat(merchantId, 'viewer');
      const changed = userEvent('user.email_changed', member.sub, { old_email: member.email, new_email: 'new@example.com' });
      assert.equal((await deliver(changed)).status, 204);
      assert.equal((await members(merchantId, owner.token())).find((m) => m.user_id === member.sub)?.email, 'new@example.com');
      // A stale redelivery of the same event id after a later change must not undo it.
      await stage.db.sequelize.query('UPDATE merchant_memberships SET email = ? WHERE user_id = ?', {
        replacements: ['later@example.com', member.sub],
      });
      const again = await Promise.all([deliver(changed), deliver(changed)]);
      assert.deepEqual(
        again.map((r) => r.status),
        [204, 204],
      );
      assert.equal((await members(merchantId, owner.token())).find((m) => m.user_id === member.sub)?.email, 'later@example.com');
      assert.equal((await deliver(userEvent('user.profile_updated', member.sub, { name: 'Grace Hopper' }))).status, 204);
      assert.equal((await members(merchantId, owner.token())).find((m) => m.user_id === member.sub)?.name, 'Grace Hopper');
    });

    it("removes a deleted user's memberships and nulls their personal data in merchant events", async () => {
      const owner = stage.person();
      const merchantId = await stage.merchantOwnedBy(owner);
      const leaving = await stage.seat(merchantId, 'admin');
      await issueKey(stage, leaving, merchantId, { name: 'theirs', scopes: ['events:read'] });
      assert.equal((await deliver(userEvent('user.deleted', leaving.sub, {}, { email: leaving.email }))).status, 204);
      assert.deepEqual(
        (await members(merchantId, owner.token())).map((m) => m.user_id),
        [owner.sub],
      );
      const theirs = (await eventsOf(merchantId, owner.token())).body.items.filter((e) => e.actor.id === leaving.sub);
      assert.deepEqual(
        theirs.map((e) => ({ type: e.type, ip: e.ip, user_agent: e.user_agent })),
        [{ type: 'api_key.created', ip: null, user_agent: null }],
      );
    });

    it('refuses a delivery without the service credential (401) and a malformed event (422)', async () => {
      assertError(
        await stage.call('POST', '/internal/events', { json: userEvent('user.disabled', 'u', {}), contract: false }),
        401,
        'unauthenticated',
      );
      assertError(await deliver(userEvent('user.disabled', 'u', {}), 'not-the-service-token-at-all'), 401, 'invalid_token');
      assertError(await deliver({ id: 'x' } as unknown as DeliveredEvent), 422, 'validation_failed');
      assert.equal((await deliver(userEvent('user.disabled', 'u', {}))).status, 204);
    });
  });
});

describe('merchants records invitation and webhook events, and fans them out to webhooks', function () {
  this.timeout(30_000);
  const stage = invitationsStage({
    module: {
      webhooks: { WEBHOOK_SECRET_KEY: 'merchant-events-test-webhook-key-0123456789' },
      resolveHost: tableResolver({ 'joins.example.com': [PUBLIC_ADDRESS], 'all.example.com': [PUBLIC_ADDRESS] }),
    },
  });
  const eventsOf = async (merchantId: string, token: string) => {
    const res = await stage.call<EventPage>('GET', `/merchants/${merchantId}/events?limit=100`, { token });
    assert.equal(res.status, 200, res.text);
    return res;
  };
  const deliveriesOf = async (merchantId: string, webhookId: string, token: string) =>
    (await stage.call<DeliveryLog>('GET', `/merchants/${merchantId}/webhooks/${webhookId}/deliveries`, { token })).body.items.map((d) => ({
      event_id: d.event_id,
      event_type: d.event_type,
    }));

  it('records member.invited and member.joined with the change, without the token, and queues member.joined to its subscriber', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const joins = await createWebhook(stage, owner, merchantId, { url: 'https://joins.example.com/hook', events: ['member.joined'] });
    const invitee = stage.person();
    const invited = await stage.invite(owner, merchantId, invitee.email, 'developer');
    assert.equal(invited.status, 201, invited.text);
    const token = await stage.tokenFromInbox(invitee.email);
    assert.equal((await stage.accept(invitee, token)).status, 200);
    // A second accept of the same token changes nothing and records nothing.
    assertError(await stage.accept(invitee, token), 404, 'not_found');

    const res = await eventsOf(merchantId, owner.token());
    const memberEvents = res.body.items.filter((e) => e.type.startsWith('member.'));
    assert.deepEqual(
      memberEvents.map((e) => ({ type: e.type, actor: e.actor, subject: e.subject, merchant_id: e.merchant_id, data: e.data })),
      [
        {
          type: 'member.invited',
          actor: { type: 'user', id: owner.sub },
          subject: { type: 'invitation', id: invited.body.invitation.id },
          merchant_id: merchantId,
          data: { email: invitee.email, role: 'developer' },
        },
        {
          type: 'member.joined',
          actor: { type: 'user', id: invitee.sub },
          subject: { type: 'member', id: invitee.sub },
          merchant_id: merchantId,
          data: { user_id: invitee.sub, role: 'developer' },
        },
      ],
    );
    assert.ok(!res.text.includes(token), 'the invitation token is in the events');
    // The recorder's listener queued the join (and only it) to the endpoint subscribed to member.joined.
    assert.deepEqual(await deliveriesOf(merchantId, joins.webhook.id, owner.token()), [
      { event_id: memberEvents[1]!.id, event_type: 'member.joined' },
    ]);
  });

  it('an invitation refused as a conflict records nothing', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const invitee = stage.person();
    assert.equal((await stage.invite(owner, merchantId, invitee.email, 'viewer')).status, 201);
    assertError(await stage.invite(owner, merchantId, invitee.email, 'viewer'), 409, 'conflict');
    const types = (await eventsOf(merchantId, owner.token())).body.items.map((e) => e.type);
    assert.deepEqual(types, ['merchant.created', 'member.invited']);
  });

  it('records webhook.test as a merchant event and queues it to the tested endpoint alone', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const tested = await createWebhook(stage, owner, merchantId, { url: 'https://joins.example.com/hook', events: ['member.joined'] });
    const everything = await createWebhook(stage, owner, merchantId, { url: 'https://all.example.com/hook', events: ['*'] });
    const path = `/merchants/${merchantId}/webhooks/${tested.webhook.id}/test`;
    assert.equal((await stage.call('POST', path, { token: owner.token() })).status, 202);

    const events = (await eventsOf(merchantId, owner.token())).body.items.filter((e) => e.type === 'webhook.test');
    assert.deepEqual(
      events.map((e) => ({ type: e.type, actor: e.actor, subject: e.subject, merchant_id: e.merchant_id, data: e.data })),
      [
        {
          type: 'webhook.test',
          actor: { type: 'user', id: owner.sub },
          subject: { type: 'webhook', id: tested.webhook.id },
          merchant_id: merchantId,
          data: { webhook_id: tested.webhook.id },
        },
      ],
    );
    assert.deepEqual(await deliveriesOf(merchantId, tested.webhook.id, owner.token()), [
      { event_id: events[0]!.id, event_type: 'webhook.test' },
    ]);
    // Subscribed to everything, yet another endpoint's test is not for it.
    assert.deepEqual(await deliveriesOf(merchantId, everything.webhook.id, owner.token()), []);
  });
});

let sequence = 0;
function userEvent(
  type: DeliveredEvent['type'],
  userId: string,
  data: Record<string, unknown>,
  delivery: Record<string, string> = {},
): DeliveredEvent {
  sequence += 1;
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}-${Date.now()}`.slice(0, 36),
    type,
    created_at: new Date().toISOString(),
    actor: { type: 'user', id: userId },
    subject: { type: 'user', id: userId },
    merchant_id: null,
    ip: null,
    user_agent: null,
    request_id: null,
    data,
    delivery,
  };
}
