import assert from 'node:assert/strict';
import { z } from 'zod';
import { ApiRouter } from '@merchant-platform/common/http/api-router';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { request, type RunningServer } from '@merchant-platform/common/testing/http-server';
import { serveModules } from '@merchant-platform/common/testing/test-app';

/** With tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT, as in this test process): tracing.test.ts covers it on. */
describe('trace ids in log lines without tracing', () => {
  let server: RunningServer;
  const logs = captureLogs();
  before(async () => {
    const openapi = createOpenApiRegistry();
    const api = new ApiRouter(openapi).route({
      method: 'get',
      path: '/echo',
      summary: 'logs a line of its own',
      tags: ['test'],
      responses: { 200: { description: 'ok', schema: z.object({ ok: z.boolean() }) } },
      handler: (ctx) => {
        ctx.state.log.info('handler line');
        ctx.body = { ok: true };
      },
    });
    server = await serveModules({ modules: [{ name: 'test', api, readiness: [] }], openapi, logger: logs.logger });
  });
  after(() => server.close());

  const linesOf = async (headers: Record<string, string>) => {
    const requestId = `req-${Math.random().toString(36).slice(2)}`;
    assert.equal((await request(server.url, 'GET', '/echo', { headers: { ...headers, 'x-request-id': requestId } })).status, 200);
    const lines = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.request_id === requestId);
    assert.deepEqual(
      lines.map((l) => l.msg),
      ['handler line', 'request'],
    );
    return lines;
  };

  it("logs the caller's trace id from a valid traceparent on every line of the request", async () => {
    const lines = await linesOf({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    assert.deepEqual(
      lines.map((l) => l.trace_id),
      ['4bf92f3577b34da6a3ce929d0e0e4736', '4bf92f3577b34da6a3ce929d0e0e4736'],
    );
  });

  it('gives each request without a usable traceparent a fresh trace id of its own', async () => {
    const ids = [];
    for (const traceparent of [undefined, 'garbage', '00-00000000000000000000000000000000-00f067aa0ba902b7-01']) {
      const lines = await linesOf(traceparent ? { traceparent } : {});
      assert.equal(new Set(lines.map((l) => l.trace_id)).size, 1, 'one id for the whole request');
      assert.match(String(lines[0]!.trace_id), /^[0-9a-f]{32}$/);
      ids.push(lines[0]!.trace_id);
    }
    assert.equal(new Set(ids).size, 3);
    assert.ok(!ids.includes('00000000000000000000000000000000'));
  });
});
