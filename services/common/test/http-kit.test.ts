import assert from 'node:assert/strict';
import { z } from 'zod';
import { createApp } from '@merchant-platform/common/http/app';
import { ApiRouter } from '@merchant-platform/common/http/api-router';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { createMetrics } from '@merchant-platform/common/metrics';
import { conflict } from '@merchant-platform/common/errors';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { listen, request, type RunningServer } from '@merchant-platform/common/testing/http-server';

describe('the HTTP kit', () => {
  let server: RunningServer;
  let ready = true;
  const logs = captureLogs();

  before(async () => {
    const openapi = createOpenApiRegistry();
    const api = new ApiRouter(openapi)
      .route({
        method: 'post',
        path: '/things',
        summary: 'create a thing',
        tags: ['test'],
        form: false,
        body: z.object({ name: z.string().min(1).max(10), count: z.number().int().optional() }),
        responses: { 201: { description: 'created', schema: z.object({ name: z.string(), own_keys: z.array(z.string()) }) } },
        handler: (ctx, { body }) => {
          ctx.status = 201;
          ctx.body = { name: body.name, own_keys: Object.keys(body) };
        },
      })
      .route({
        method: 'get',
        path: '/whoami',
        summary: 'echo the client IP',
        tags: ['test'],
        responses: { 200: { description: 'ok', schema: z.object({ ip: z.string() }) } },
        handler: (ctx) => {
          ctx.body = { ip: ctx.ip };
        },
      })
      .route({
        method: 'get',
        path: '/things/{id}',
        summary: 'read a thing',
        tags: ['test'],
        params: z.object({ id: z.string().regex(/^\d+$/) }),
        responses: { 200: { description: 'ok', schema: z.object({ id: z.string() }) } },
        errors: [409],
        handler: (ctx, { params }) => {
          if (params.id === '409') throw conflict('Already there.');
          if (params.id === '500') throw new Error('secret internals: password=hunter2');
          ctx.body = { id: params.id };
        },
      });
    const app = createApp({
      title: 'test',
      version: '0',
      modules: [
        {
          name: 'test',
          api,
          readiness: [
            {
              name: 'flag',
              check: async () => {
                if (!ready) throw new Error('not ready');
              },
            },
          ],
        },
      ],
      openapi,
      logger: logs.logger,
      metrics: createMetrics(),
      health: { draining: false },
      trustProxy: false,
      corsOrigins: ['https://shop.example'],
    });
    server = await listen(app);
  });
  after(() => server.close());

  it('answers an unknown route with 404 not_found in the contract shape', async () => {
    const res = await request(server.url, 'GET', '/nope');
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: { code: 'not_found', message: res.body.error.message } });
  });

  it('answers a known route with the wrong method with 405 and Allow', async () => {
    const res = await request(server.url, 'DELETE', '/things');
    assert.equal(res.status, 405);
    assert.equal(res.body.error.code, 'method_not_allowed');
    assert.match(res.headers.get('allow') ?? '', /POST/);
  });

  it('answers unparseable JSON with 400 malformed_body', async () => {
    const res = await request(server.url, 'POST', '/things', { body: '{"name":', headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'malformed_body');
  });

  it('answers a body over 64 KiB with 413 payload_too_large', async () => {
    const res = await request(server.url, 'POST', '/things', { json: { name: 'x'.repeat(70_000) } });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'payload_too_large');
  });

  it('answers another content type with 415 unsupported_media_type', async () => {
    const plain = await request(server.url, 'POST', '/things', { body: 'name=a', headers: { 'content-type': 'text/plain' } });
    assert.equal(plain.status, 415);
    assert.equal(plain.body.error.code, 'unsupported_media_type');
    const form = await request(server.url, 'POST', '/things', {
      body: 'name=a',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(form.status, 415, 'a form is only accepted where the route says so');
  });

  it('answers invalid fields with 422 and one detail per field', async () => {
    const res = await request(server.url, 'POST', '/things', { json: { name: '', count: 'x' } });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, 'validation_failed');
    assert.deepEqual(res.body.error.details.map((d: { path: string }) => d.path).sort(), ['count', 'name']);
  });

  it('answers a JSON body that is not an object with 422', async () => {
    for (const body of ['[]', '"x"', '42', 'null']) {
      const res = await request(server.url, 'POST', '/things', { body, headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 422, body);
      assert.equal(res.body.error.code, 'validation_failed');
    }
  });

  it('drops unknown fields, including __proto__ and constructor', async () => {
    const res = await request(server.url, 'POST', '/things', {
      body: '{"name":"a","__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"roles":["admin"]}',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.own_keys, ['name']);
    assert.equal(({} as Record<string, unknown>).admin, undefined);
  });

  it('answers a thrown AppError with its status and an unknown error with a bare 500', async () => {
    const known = await request(server.url, 'GET', '/things/409');
    assert.deepEqual(known.body, { error: { code: 'conflict', message: 'Already there.' } });
    const unknown = await request(server.url, 'GET', '/things/500');
    assert.equal(unknown.status, 500);
    assert.deepEqual(unknown.body, { error: { code: 'internal', message: 'An unexpected error occurred.' } });
    assert.doesNotMatch(unknown.text, /hunter2|secret/);
  });

  it('echoes a safe X-Request-Id and replaces an unsafe one', async () => {
    const safe = await request(server.url, 'GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    assert.equal(safe.headers.get('x-request-id'), 'abc-123');
    const unsafe = await request(server.url, 'GET', '/healthz', { headers: { 'x-request-id': 'a b<script>' } });
    assert.match(unsafe.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('sends security headers and no X-Powered-By', async () => {
    const res = await request(server.url, 'GET', '/healthz');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(res.headers.get('referrer-policy'));
    assert.equal(res.headers.get('x-powered-by'), null);
  });

  it('allows CORS only for listed origins', async () => {
    const allowed = await request(server.url, 'GET', '/healthz', { headers: { origin: 'https://shop.example' } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://shop.example');
    const other = await request(server.url, 'GET', '/healthz', { headers: { origin: 'https://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  it('serves health, readiness, metrics and the OpenAPI document', async () => {
    assert.deepEqual((await request(server.url, 'GET', '/healthz')).body, { status: 'ok' });
    assert.deepEqual((await request(server.url, 'GET', '/readyz')).body, { status: 'ready' });
    ready = false;
    const notReady = await request(server.url, 'GET', '/readyz');
    ready = true;
    assert.equal(notReady.status, 503);
    assert.equal(notReady.body.error.code, 'unavailable');
    assert.ok(notReady.headers.get('retry-after'));
    const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
    assert.match(metrics, /http_request_duration_seconds_bucket\{.*route="\/things\/:id"/);
    const doc = (await request(server.url, 'GET', '/openapi.json')).body;
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/things/{id}'].get);
    const docs = await fetch(`${server.url}/docs/`);
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /swagger-ui/);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY is set', async () => {
    const res = await request(server.url, 'GET', '/whoami', { headers: { 'x-forwarded-for': '203.0.113.9' } });
    assert.equal(res.body.ip, '127.0.0.1');
  });

  it('behind a trusted proxy takes the client IP from the hop the proxy appended, not from the client', async () => {
    const openapi = createOpenApiRegistry();
    const api = new ApiRouter(openapi).route({
      method: 'get',
      path: '/whoami',
      summary: 'echo',
      tags: ['test'],
      responses: { 200: { description: 'ok', schema: z.object({ ip: z.string() }) } },
      handler: (ctx) => {
        ctx.body = { ip: ctx.ip };
      },
    });
    const proxied = await listen(
      createApp({
        title: 't',
        version: '0',
        modules: [{ name: 't', api, readiness: [] }],
        openapi,
        logger: logs.logger,
        metrics: createMetrics(),
        health: { draining: false },
        trustProxy: true,
        corsOrigins: [],
      }),
    );
    try {
      const res = await request(proxied.url, 'GET', '/whoami', { headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' } });
      assert.equal(res.body.ip, '203.0.113.9', 'a client-supplied first entry is not trusted');
    } finally {
      await proxied.close();
    }
  });

  it("runs the session cookie's middleware only under the paths a module names", async () => {
    const openapi = createOpenApiRegistry();
    const api = new ApiRouter(openapi);
    for (const path of ['/signin/start', '/signin', '/signing', '/other'])
      api.route({
        method: 'get',
        path,
        summary: 'remember something',
        tags: ['test'],
        responses: { 200: { description: 'ok', schema: z.object({ seen: z.unknown() }) } },
        handler: (ctx) => {
          const seen: unknown = ctx.session?.step;
          ctx.session = { step: path };
          ctx.body = { seen: seen ?? null };
        },
      });
    const withSession = await listen(
      createApp({
        title: 't',
        version: '0',
        modules: [{ name: 't', api, readiness: [], sessionPaths: ['/signin'] }],
        openapi,
        logger: logs.logger,
        metrics: createMetrics(),
        health: { draining: false },
        trustProxy: false,
        corsOrigins: [],
        session: { keys: ['a-test-session-key-of-enough-length'], secure: false },
      }),
    );
    const sessionCookies = (res: { headers: Headers }) => res.headers.getSetCookie().filter((c) => c.startsWith('mp_session'));
    try {
      for (const path of ['/signin', '/signin/start']) {
        const first = await request(withSession.url, 'GET', path);
        assert.equal(sessionCookies(first).length, 2, `${path}: the cookie and its signature`);
        const cookie = sessionCookies(first)
          .map((c) => c.split(';')[0])
          .join('; ');
        const again = await request(withSession.url, 'GET', path, { headers: { cookie } });
        assert.equal(again.body.seen, path, `${path}: the session is read back`);
      }
      for (const path of ['/other', '/signing']) {
        const res = await request(withSession.url, 'GET', path);
        assert.equal(res.status, 200);
        assert.deepEqual(sessionCookies(res), [], `${path} is outside /signin: no session middleware, no cookie`);
      }
    } finally {
      await withSession.close();
    }
  });

  it('logs each request with its request id', async () => {
    await request(server.url, 'GET', '/things/1', { headers: { 'x-request-id': 'trace-me' } });
    const line = logs.lines.map((l) => JSON.parse(l)).find((l) => l.request_id === 'trace-me');
    assert.ok(line);
    assert.equal(line.route, '/things/:id');
  });
});
