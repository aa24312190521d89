import assert from 'node:assert/strict';
import type { PlatformEvent } from '@merchant-platform/common/events/event';
import { assertError } from '@merchant-platform/common/testing/http-server';
import { CONTRACT_EVENT_KEYS } from '@merchant-platform/common/testing/event-shape';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { STRONG_PASSWORD, startAuth, type AuthHarness } from './support.js';
import { currentCode, startTotp } from './totp-support.js';

type EventPage = { items: PlatformEvent[]; next_cursor: string | null };
const NEW_PASSWORD = 'Another-Horse2!';
const AGENT = 'audit-test-agent/1.0';

describe('auth records its events in the audit log', function () {
  this.timeout(60_000);
  let auth: AuthHarness;
  let admin: { id: string; access: string };

  before(async () => {
    // Three failures for one address lock it, so the test can see user.locked.
    auth = await startAuth({ RATE_LIMIT_TOKEN_FAILURES_PER_EMAIL: 3 });
    admin = await auth.verifiedUser('boss@example.com');
  });
  after(() => auth.close());

  const audit = (query: string) => auth.call<EventPage>('GET', `/auth/audit?${query}`, { token: admin.access });
  const eventsAbout = async (userId: string) => {
    const res = await audit(`subject_id=${userId}&limit=100`);
    assert.equal(res.status, 200, res.text);
    return res.body.items;
  };
  const withAgent = { 'user-agent': AGENT };

  it('records each user, MFA and session event with actor, subject, origin and allow-listed data', async () => {
    const email = 'audited@example.com';
    const registered = await auth.call('POST', '/auth/register', {
      headers: { ...withAgent, 'x-request-id': 'register-req-1' },
      json: { email, password: STRONG_PASSWORD, confirm_password: STRONG_PASSWORD, first_name: 'Ada', last_name: 'Lovelace' },
    });
    assert.equal(registered.status, 201, registered.text);
    const userId: string = registered.body.user.id;
    const first = await auth.call('POST', '/auth/token', { headers: withAgent, json: { email, password: STRONG_PASSWORD } });
    const verified = await auth.call('POST', '/auth/email/verification/confirm', {
      headers: withAgent,
      token: first.body.access_token,
      json: { code: auth.inbox.lastCode(email, 'verify_email') },
    });
    assert.equal(verified.status, 200, verified.text);
    assertError(
      await auth.call('POST', '/auth/token', { headers: withAgent, json: { email, password: 'Wrong-Horse9!' } }),
      401,
      'invalid_credentials',
    );
    const session = await auth.call('POST', '/auth/token', { headers: withAgent, json: { email, password: STRONG_PASSWORD } });
    const token = session.body.access_token as string;
    const named = await auth.call('PATCH', '/auth/me', {
      headers: withAgent,
      token,
      json: { first_name: 'Augusta', password: 'not-kept' },
    });
    assert.equal(named.status, 200, named.text);
    const changed = await auth.call('PUT', '/auth/password', {
      headers: withAgent,
      token,
      json: { current_password: STRONG_PASSWORD, password: NEW_PASSWORD, confirm_password: NEW_PASSWORD },
    });
    assert.equal(changed.status, 204, changed.text);
    const enrolment = await startTotp(auth, token);
    const confirmed = await auth.call('POST', `/auth/mfa/totp/${enrolment.factor_id}/confirm`, {
      headers: withAgent,
      token,
      json: { code: currentCode(enrolment.secret) },
    });
    assert.equal(confirmed.status, 200, confirmed.text);
    const challenged = await auth.call('POST', '/auth/token', { headers: withAgent, json: { email, password: NEW_PASSWORD } });
    assert.equal(challenged.status, 401);
    const recovered = await auth.call('POST', '/auth/mfa/verify', {
      headers: withAgent,
      json: { mfa_token: challenged.body.error.mfa.mfa_token, code: confirmed.body.recovery_codes[0] },
    });
    assert.equal(recovered.status, 200, recovered.text);
    const strong = recovered.body.access_token as string;
    const sessionId = (await auth.call('GET', '/auth/sessions', { token: strong })).body.items.find(
      (s: { current: boolean }) => !s.current,
    ).id;
    assert.equal((await auth.call('DELETE', `/auth/sessions/${sessionId}`, { headers: withAgent, token: strong })).status, 204);
    assert.equal(
      (await auth.call('POST', '/auth/email/change', { headers: withAgent, token: strong, json: { new_email: 'renamed@example.com' } }))
        .status,
      202,
    );
    const emailChanged = await auth.call('POST', '/auth/email/change/confirm', {
      headers: withAgent,
      token: strong,
      json: { code: auth.inbox.lastCode('renamed@example.com', 'email_change_code') },
    });
    assert.equal(emailChanged.status, 200, emailChanged.text);
    assert.equal(
      (await auth.call('DELETE', `/auth/mfa/factors/${enrolment.factor_id}`, { headers: withAgent, token: strong })).status,
      204,
    );
    await auth.call('POST', '/auth/password/forgot', { json: { email: 'renamed@example.com' } });
    const resetCode = await auth.inbox.waitForCode('renamed@example.com', 'password_reset');
    const reset = await auth.call('POST', '/auth/password/reset', {
      headers: withAgent,
      json: { email: 'renamed@example.com', code: resetCode, password: STRONG_PASSWORD, confirm_password: STRONG_PASSWORD },
    });
    assert.equal(reset.status, 204, reset.text);
    for (let i = 0; i < 4; i++)
      await auth.call('POST', '/auth/token', { json: { email: 'renamed@example.com', password: 'Wrong-Horse9!' } });
    await auth.inbox.waitForCode('renamed@example.com', 'account_locked').catch(() => undefined);
    const disabled = await auth.call('PATCH', `/auth/users/${userId}`, {
      headers: withAgent,
      token: admin.access,
      json: { disabled: true },
    });
    assert.equal(disabled.status, 200, disabled.text);

    const events = await eventually(async () => {
      const items = await eventsAbout(userId);
      return items.some((e) => e.type === 'user.locked') ? items : undefined;
    }, 'the lock event');

    // Every event about the user, in order, with who acted and the allow-listed data only.
    const self = { type: 'user', id: userId };
    const anonymous = { type: 'user', id: null };
    const summary = events.map((e) => ({ type: e.type, actor: e.actor, data: e.data }));
    const expected = [
      { type: 'user.registered', actor: self, data: { email, method: 'password' } },
      { type: 'user.signed_in', actor: self, data: { method: 'password' } },
      { type: 'user.email_verified', actor: self, data: {} },
      { type: 'user.sign_in_failed', actor: anonymous, data: { method: 'password', reason: 'invalid_credentials' } },
      { type: 'user.signed_in', actor: self, data: { method: 'password' } },
      { type: 'user.profile_updated', actor: self, data: { name: 'Augusta Lovelace' } },
      { type: 'user.password_changed', actor: self, data: {} },
      { type: 'mfa.enrolled', actor: self, data: { factor_type: 'totp' } },
      { type: 'mfa.recovery_code_used', actor: self, data: {} },
      { type: 'user.signed_in', actor: self, data: { method: 'password' } },
      { type: 'session.revoked', actor: self, data: { session_id: sessionId, reason: 'signed_out' } },
      { type: 'user.email_changed', actor: self, data: { old_email: email, new_email: 'renamed@example.com' } },
      { type: 'mfa.removed', actor: self, data: { factor_type: 'totp' } },
      { type: 'user.password_reset', actor: anonymous, data: {} },
    ];
    assert.deepEqual(summary.slice(0, expected.length), expected);
    const rest = summary.slice(expected.length).map((e) => e.type);
    assert.ok(rest.includes('user.locked'), `no user.locked in ${rest.join(', ')}`);
    assert.equal(rest.filter((type) => type === 'user.sign_in_failed').length >= 3, true);
    assert.deepEqual(rest.at(-1), 'user.disabled');
    assert.deepEqual(events.at(-1)!.actor, { type: 'user', id: admin.id });

    // The full shape of one event: the contract's keys and nothing else.
    const registration = events[0]!;
    assert.deepEqual(Object.keys(registration).sort(), CONTRACT_EVENT_KEYS);
    assert.match(registration.id, /^[0-9a-f-]{36}$/);
    assert.ok(Date.now() - Date.parse(registration.created_at) < 60_000);
    assert.deepEqual(
      {
        subject: registration.subject,
        merchant_id: registration.merchant_id,
        ip: registration.ip,
        user_agent: registration.user_agent,
        request_id: registration.request_id,
      },
      { subject: self, merchant_id: null, ip: '127.0.0.1', user_agent: AGENT, request_id: 'register-req-1' },
    );
    // No password, hash, code or secret anywhere in the log.
    const text = JSON.stringify(events);
    for (const secret of [STRONG_PASSWORD, NEW_PASSWORD, 'not-kept', resetCode, enrolment.secret, confirmed.body.recovery_codes[0]]) {
      assert.ok(!text.includes(secret), `the audit log holds a secret: ${secret}`);
    }
  });

  it('records an admin MFA reset with the admin as actor', async () => {
    const user = await auth.verifiedUser('reset-me@example.com');
    const enrolment = await startTotp(auth, user.access);
    await auth.call('POST', `/auth/mfa/totp/${enrolment.factor_id}/confirm`, {
      token: user.access,
      json: { code: currentCode(enrolment.secret) },
    });
    assert.equal((await auth.call('DELETE', `/auth/users/${user.id}/mfa`, { token: admin.access })).status, 204);
    const removed = (await eventsAbout(user.id)).filter((e) => e.type === 'mfa.removed');
    assert.deepEqual(
      removed.map((e) => ({ actor: e.actor, data: e.data })),
      [{ actor: { type: 'user', id: admin.id }, data: { factor_type: null } }],
    );
  });

  it('filters by type, actor and time, and pages with a cursor that resumes exactly', async () => {
    const since = new Date().toISOString();
    const user = await auth.verifiedUser('pager@example.com');
    for (let i = 0; i < 3; i++) await auth.signIn('pager@example.com');
    const all: PlatformEvent[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const res = await audit(
        `type=user.signed_in&actor_id=${user.id}&since=${encodeURIComponent(since)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.equal(res.status, 200, res.text);
      assert.ok(res.body.items.length <= 2);
      all.push(...res.body.items);
      cursor = res.body.next_cursor;
    }
    // verifiedUser signs in twice; then three more.
    assert.equal(all.length, 5);
    assert.ok(all.every((e) => e.type === 'user.signed_in' && e.actor.id === user.id));
    assert.equal(new Set(all.map((e) => e.id)).size, 5);
    const until = await audit(`actor_id=${user.id}&until=${encodeURIComponent(since)}`);
    assert.deepEqual(until.body.items, []);
  });

  it('answers bad filters with 422 and non-admins with 403', async () => {
    assertError(await audit('type=user.exploded'), 422, 'validation_failed');
    assertError(await audit('since=yesterday'), 422, 'validation_failed');
    assertError(await audit('cursor=not-a-cursor'), 422, 'validation_failed');
    assertError(await audit('limit=1000'), 422, 'validation_failed');
    const since = new Date().toISOString();
    assertError(await audit(`since=${encodeURIComponent(since)}&until=${encodeURIComponent(since)}`), 422, 'validation_failed');
    const user = await auth.verifiedUser('nosy@example.com');
    assertError(await auth.call('GET', '/auth/audit', { token: user.access }), 403, 'forbidden');
    assertError(await auth.call('GET', '/auth/audit'), 401, 'unauthenticated');
  });

  it("shows a user their own security activity and nobody else's", async () => {
    const user = await auth.verifiedUser('mine@example.com');
    const other = await auth.verifiedUser('theirs@example.com');
    await auth.signIn('mine@example.com', 'Wrong-Horse9!');
    const res = await auth.call<EventPage>('GET', '/auth/me/activity?limit=10', { token: user.access });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.body.items.map((e) => e.type),
      ['user.registered', 'user.signed_in', 'user.email_verified', 'user.signed_in', 'user.sign_in_failed'],
    );
    assert.ok(res.body.items.every((e) => e.subject.id === user.id));
    const theirs = await auth.call<EventPage>('GET', '/auth/me/activity', { token: other.access });
    assert.ok(theirs.body.items.every((e) => e.subject.id === other.id));
    const paged = await auth.call<EventPage>('GET', '/auth/me/activity?limit=2', { token: user.access });
    const next = await auth.call<EventPage>(`GET`, `/auth/me/activity?limit=10&cursor=${paged.body.next_cursor}`, { token: user.access });
    assert.deepEqual(
      [...paged.body.items, ...next.body.items].map((e) => e.id),
      res.body.items.map((e) => e.id),
    );
  });
});
