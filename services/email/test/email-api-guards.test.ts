import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ErrorBody } from '@merchant-platform/common/testing/http-server';
import { createTestTokens } from '@merchant-platform/common/testing/test-tokens';
import { emailApiStage } from './support/email-api-stage.js';
import { waitFor } from './support/email-service.js';

describe('email service API: who may call it, hostile input, operations', () => {
  const stage = emailApiStage();
  const { call, post, unique, token } = stage;

  describe('service authentication', () => {
    const routes: [string, string][] = [
      ['POST', '/emails'],
      ['GET', `/emails/${randomUUID()}`],
      ['POST', '/send-email/'],
    ];

    it('answers a request without credentials with 401 unauthenticated on every route', async () => {
      for (const [method, path] of routes) {
        const res = await call<ErrorBody>(method, path, { json: method === 'POST' ? {} : undefined });
        assert.equal(res.status, 401, path);
        assert.deepEqual(res.body, { error: { code: 'unauthenticated', message: 'A service credential is required.' } });
        assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      }
    });

    it('answers a user’s RS256 access token with 401 invalid_token', async () => {
      const userToken = createTestTokens().sign({ roles: ['merchant', 'admin'] });
      for (const [method, path] of routes) {
        const res = await call<ErrorBody>(method, path, {
          token: userToken,
          json: method === 'POST' ? { to: unique('user'), template: 'welcome', data: { name: 'Ada' } } : undefined,
        });
        assert.equal(res.status, 401, path);
        assert.deepEqual(res.body, { error: { code: 'invalid_token', message: 'The service credential is not valid.' } });
      }
    });

    it('answers a wrong shared secret with 401 invalid_token', async () => {
      for (const wrong of [`${token}x`, token.slice(0, -1), 'x']) {
        const res = await call<ErrorBody>('POST', '/emails', { token: wrong, json: {} });
        assert.equal(res.status, 401);
        assert.equal(res.body.error.code, 'invalid_token');
      }
    });
  });

  describe('hostile input', () => {
    it('never answers with a 5xx on any route', async () => {
      const valid = { to: unique('hostile'), template: 'welcome', data: { name: 'Ada' } };
      const bodies: [string, string][] = [
        ['{"to":', 'application/json'],
        ['to=x&template=welcome', 'application/x-www-form-urlencoded'],
        ['<xml/>', 'application/xml'],
        ['plain', 'text/plain'],
        [JSON.stringify({ ...valid, data: { name: 'x'.repeat(10_000) } }), 'application/json'],
        [JSON.stringify({ ...valid, idempotency_key: 'k'.repeat(10_000) }), 'application/json'],
        [JSON.stringify({ ...valid, to: `${'a'.repeat(10_000)}@example.com` }), 'application/json'],
        [JSON.stringify({ ...valid, data: { name: 'nul\u0000byte' } }), 'application/json'],
        [JSON.stringify({ ...valid, to: 'a\u0000@example.com' }), 'application/json'],
        [JSON.stringify({ ...valid, idempotency_key: 'nul\u0000' }), 'application/json'],
        [JSON.stringify({ to: 42, template: ['welcome'], data: 'name', idempotency_key: 7 }), 'application/json'],
        [JSON.stringify({ ...valid, data: [1, 2] }), 'application/json'],
        [JSON.stringify({ ...valid, data: { name: { nested: true } } }), 'application/json'],
        ['{"__proto__":{"template":"welcome"},"constructor":{"prototype":{}}}', 'application/json'],
        [JSON.stringify({ ...valid, template: '__proto__' }), 'application/json'],
        [JSON.stringify({ ...valid, template: 'toString' }), 'application/json'],
        ['[]', 'application/json'],
        ['null', 'application/json'],
        ['"text"', 'application/json'],
        [JSON.stringify({ pad: 'y'.repeat(70_000) }), 'application/json'],
        [JSON.stringify({ email: 'x', otp: { $gt: '' }, user_id: null, subject: 'z'.repeat(10_000) }), 'application/json'],
      ];
      for (const path of ['/emails', '/send-email/']) {
        for (const [body, type] of bodies) {
          const res = await call<ErrorBody>('POST', path, { token, body, headers: { 'content-type': type } });
          assert.ok(res.status >= 400 && res.status < 500, `${path} ${type} ${body.slice(0, 40)} -> ${res.status}`);
          assert.ok(res.body.error.code, 'the contract error body');
        }
      }
      for (const id of ['%00', 'x'.repeat(1000), '%F0%9F%A5%90', '__proto__', "1' OR '1'='1", '%E0%A4%A']) {
        const res = await call<ErrorBody>('GET', `/emails/${id}`, { token });
        assert.ok(res.status >= 400 && res.status < 500, `GET /emails/${id.slice(0, 20)} -> ${res.status}`);
      }
    });

    it('accepts and delivers emoji and non-Latin names intact', async () => {
      const to = unique('emoji');
      const res = await post({ to, template: 'welcome', data: { name: 'Zoë 🥐 李' } });
      assert.equal(res.status, 202);
      const [mail] = await waitFor(
        'the mail',
        () => stage.ses.emailsTo(to),
        (m) => m.length === 1,
      );
      assert.match(mail!.body.text!, /^Hi Zoë 🥐 李,/);
    });

    it('ignores unknown body fields', async () => {
      const res = await post({ to: unique('extra'), template: 'welcome', data: { name: 'Ada', extra: 'x' }, id: 'chosen', status: 'sent' });
      assert.equal(res.status, 202);
      assert.notEqual(res.body.id, 'chosen');
      assert.equal(res.body.status, 'queued');
    });
  });

  describe('operations', () => {
    it('reports readiness, the e-mail metrics and the routes in the OpenAPI document', async () => {
      const ready = await call<{ status: string }>('GET', '/readyz');
      assert.deepEqual([ready.status, ready.body], [200, { status: 'ready' }]);
      const metrics = await call<undefined>('GET', '/metrics');
      const names = [
        'email_enqueued_total',
        'email_messages_total',
        'email_send_attempts_total',
        'email_possible_duplicates_total',
        'email_queue_depth',
        'email_oldest_queued_age_seconds',
      ];
      for (const name of names) {
        assert.match(metrics.text, new RegExp(`^# TYPE ${name} `, 'm'), name);
      }
      assert.match(metrics.text, /^email_messages_total\{template="welcome",status="sent"\} \d+/m);
      assert.match(metrics.text, /^email_queue_depth \d+/m);
      const doc = await call<{ paths: Record<string, Record<string, { security?: unknown }>> }>('GET', '/openapi.json');
      assert.deepEqual(Object.keys(doc.body.paths).sort(), ['/emails', '/emails/{id}', '/send-email', '/send-email/']);
      assert.deepEqual(doc.body.paths['/emails']?.post?.security, [{ service: [] }]);
    });
  });
});
