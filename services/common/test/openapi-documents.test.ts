import assert from 'node:assert/strict';
import { z } from 'zod';
import { ApiRouter, type Guard } from '@merchant-platform/common/http/api-router';
import { landingPageModule, renderLandingPage } from '@merchant-platform/common/http/landing-page';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { request, type RunningServer } from '@merchant-platform/common/testing/http-server';
import { serveModules } from '@merchant-platform/common/testing/test-app';

/** Guards whose only part here is the scheme they document; the documents are what is tested. */
const userGuard: Guard = { middleware: (_ctx, next) => next(), scheme: 'bearer', errors: [401] };
const serviceGuard: Guard = { middleware: (_ctx, next) => next(), scheme: 'service', errors: [401] };

const ok = (ctx: { body: unknown }) => {
  ctx.body = { ok: true };
};

describe('the public and internal OpenAPI documents', () => {
  let server: RunningServer;
  const logs = captureLogs();

  before(async () => {
    const openapi = createOpenApiRegistry();
    const Thing = openapi.register('Thing', z.object({ name: z.string() }));
    const Receipt = openapi.register('Receipt', z.object({ id: z.string() }));
    const api = new ApiRouter(openapi)
      .route({
        method: 'get',
        path: '/things',
        aliases: ['/things/'],
        summary: 'list',
        tags: ['merchants'],
        guards: [userGuard],
        responses: { 200: { description: 'ok', schema: Thing } },
        handler: ok,
      })
      .route({
        method: 'post',
        path: '/register',
        summary: 'sign up',
        tags: ['sign-up'],
        deprecated: true,
        responses: { 201: { description: 'ok' } },
        handler: ok,
      })
      .route({
        method: 'get',
        path: '/switched-off',
        summary: 'off',
        tags: ['google'],
        internal: true,
        responses: { 200: { description: 'ok' } },
        handler: ok,
      })
      .route({
        method: 'get',
        path: '/internal/feed',
        summary: 'feed',
        tags: ['internal'],
        guards: [serviceGuard],
        responses: { 200: { description: 'ok' } },
        handler: ok,
      });
    const outbox = new ApiRouter(openapi).route({
      method: 'post',
      path: '/outbox',
      summary: 'queue',
      tags: ['email'],
      guards: [serviceGuard],
      responses: { 202: { description: 'queued', schema: Receipt } },
      handler: ok,
    });
    outbox.markInternal();
    const modules = [
      { name: 'things', api, readiness: [] },
      { name: 'outbox', api: outbox, readiness: [] },
      landingPageModule(openapi, { name: 'Test Platform', version: '9.9.9' }),
    ];
    server = await serveModules({ modules, openapi, logger: logs.logger, overrides: { title: 'Test', version: '1' } });
  });
  after(() => server.close());

  const documents = async () => ({
    public: (await request(server.url, 'GET', '/openapi.json')).body,
    internal: (await request(server.url, 'GET', '/openapi.internal.json')).body,
  });

  it('leaves internal, switched-off and /internal/ routes out of the public document and keeps them in the internal one', async () => {
    const docs = await documents();
    assert.deepEqual(Object.keys(docs.public.paths), ['/things', '/things/', '/register']);
    assert.deepEqual(Object.keys(docs.internal.paths).sort(), [
      '/internal/feed',
      '/outbox',
      '/register',
      '/switched-off',
      '/things',
      '/things/',
    ]);
    assert.equal(docs.internal.paths['/switched-off'].get['x-internal'], true);
    assert.equal(docs.internal.paths['/internal/feed'].get['x-internal'], true);
    assert.equal(docs.internal.info.title, 'Test (internal)');
  });

  it('moves every route of a router marked internal, and the components only it uses, to the internal document', async () => {
    const docs = await documents();
    assert.equal(docs.internal.paths['/outbox'].post['x-internal'], true);
    assert.deepEqual(Object.keys(docs.public.components.schemas), ['Error', 'Thing']);
    assert.deepEqual(Object.keys(docs.internal.components.schemas), ['Error', 'Receipt', 'Thing']);
    assert.deepEqual(Object.keys(docs.public.components.securitySchemes), ['bearer', 'oauth2']);
    assert.deepEqual(Object.keys(docs.internal.components.securitySchemes), ['bearer', 'oauth2', 'service']);
  });

  it('documents aliases and routes flagged deprecated as deprecated, and nothing else', async () => {
    const { public: doc } = await documents();
    assert.equal(doc.paths['/things/'].get.deprecated, true);
    assert.match(doc.paths['/things/'].get.description, /Alias of `GET \/things`/);
    assert.equal(doc.paths['/register'].post.deprecated, true);
    assert.equal(doc.paths['/things'].get.deprecated, undefined);
  });

  it("lets a bearer route take a pasted token or one from Swagger UI's OAuth2 password flow against /auth/token", async () => {
    const { public: doc } = await documents();
    assert.deepEqual(doc.paths['/things'].get.security, [{ bearer: [] }, { oauth2: [] }]);
    assert.deepEqual(doc.components.securitySchemes.oauth2.flows, { password: { tokenUrl: '/auth/token', scopes: {} } });
    assert.deepEqual(doc.paths['/register'].post.security, []);
  });

  it('lists only the tags in use, in the order a user meets them', async () => {
    const docs = await documents();
    assert.deepEqual(
      docs.public.tags.map((t: { name: string }) => t.name),
      ['sign-up', 'merchants'],
    );
    assert.deepEqual(
      docs.internal.tags.map((t: { name: string }) => t.name),
      ['sign-up', 'google', 'merchants', 'email', 'internal'],
    );
    assert.ok(docs.public.tags.every((t: { description?: string }) => t.description));
  });

  it('errors refer to the one named Error schema', async () => {
    const { public: doc } = await documents();
    assert.deepEqual(doc.paths['/things'].get.responses['401'].content['application/json'].schema, { $ref: '#/components/schemas/Error' });
  });

  it('serves Swagger UI over both documents, the public one first', async () => {
    const initializer = await (await fetch(`${server.url}/docs/swagger-initializer.js`)).text();
    assert.ok(initializer.indexOf("'/openapi.json'") < initializer.indexOf("'/openapi.internal.json'"));
    assert.match(initializer, /'urls\.primaryName': 'Public API'/);
  });

  it('serves the landing page at / as HTML, outside both documents', async () => {
    const page = await fetch(`${server.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html; charset=utf-8/);
    const html = await page.text();
    assert.match(html, /<h1>Test Platform<\/h1>/);
    assert.match(html, /Version 9\.9\.9/);
    for (const link of ['/docs/', '/healthz', '/openapi.json']) assert.ok(html.includes(`href="${link}"`), link);
    const docs = await documents();
    assert.equal(docs.public.paths['/'], undefined);
    assert.equal(docs.internal.paths['/'], undefined);
  });

  it('escapes the name and version the landing page shows', () => {
    const html = renderLandingPage({ name: '<script>alert("x")</script> & Co', version: '1.0\'"><img>' });
    assert.ok(!html.includes('<script>'));
    assert.ok(!html.includes('<img>'));
    assert.match(html, /<h1>&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; Co<\/h1>/);
    assert.match(html, /Version 1\.0&#39;&quot;&gt;&lt;img&gt;\./);
  });
});
