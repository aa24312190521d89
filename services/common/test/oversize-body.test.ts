import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import { z } from 'zod';
import { ApiRouter } from '@merchant-platform/common/http/api-router';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { serveModules } from '@merchant-platform/common/testing/test-app';
import { type RunningServer } from '@merchant-platform/common/testing/http-server';

const ONE_MIB = 1024 * 1024;
/** A keep-alive client: it does not ask for the connection to close, the server must. */
const KEEP_ALIVE = new Agent({ keepAlive: true, maxSockets: 1 });

/**
 * Writes the whole body with node:http (no early abort) and reads the whole answer; settles only
 * when the connection has closed, so a reset after the answer counts too.
 */
function upload(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; connection: string | undefined; text: string; socketError: string | undefined }> {
  return new Promise((resolve) => {
    let status = 0;
    let connection: string | undefined;
    let text = '';
    let socketError: string | undefined;
    const req = httpRequest(`${url}/things`, { method: 'POST', headers, agent: KEEP_ALIVE }, (res) => {
      status = res.statusCode ?? 0;
      connection = res.headers.connection;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
    });
    req.on('error', (error: NodeJS.ErrnoException) => (socketError = error.code ?? error.message));
    req.on('close', () => resolve({ status, connection, text, socketError }));
    req.end(body);
  });
}

describe('an oversize request body', () => {
  let server: RunningServer;
  before(async () => {
    const openapi = createOpenApiRegistry();
    const api = new ApiRouter(openapi).route({
      method: 'post',
      path: '/things',
      summary: 'create a thing',
      tags: ['test'],
      form: true,
      body: z.object({ name: z.string() }),
      responses: { 201: { description: 'created' } },
      handler: (ctx) => {
        ctx.status = 201;
        ctx.body = {};
      },
    });
    const logs = captureLogs();
    server = await serveModules({ modules: [{ name: 'test', api, readiness: [] }], openapi, logger: logs.logger });
  });
  after(async () => {
    KEEP_ALIVE.destroy();
    await server.close();
  });

  const bodies: [string, Record<string, string>, Buffer][] = [
    ['a declared 1 MiB JSON body', { 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ name: 'x'.repeat(ONE_MIB) }))],
    [
      'a chunked 1 MiB JSON body',
      { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      Buffer.from(JSON.stringify({ name: 'x'.repeat(ONE_MIB) })),
    ],
    ['a declared 1 MiB form body', { 'content-type': 'application/x-www-form-urlencoded' }, Buffer.from(`name=${'x'.repeat(ONE_MIB)}`)],
  ];
  for (const [label, headers, body] of bodies) {
    it(`answers ${label} sent 20 times with a complete 413 and Connection: close, never a reset`, async () => {
      const sized = headers['transfer-encoding'] ? headers : { ...headers, 'content-length': String(body.length) };
      for (let i = 0; i < 20; i++) {
        const res = await upload(server.url, body, sized);
        assert.equal(res.socketError, undefined);
        assert.equal(res.status, 413);
        assert.equal(res.connection, 'close');
        assert.equal(JSON.parse(res.text).error.code, 'payload_too_large');
      }
    });
  }
});
