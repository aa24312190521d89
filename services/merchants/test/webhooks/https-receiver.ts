import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface ReceivedPost {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A webhook receiver over real HTTPS on 127.0.0.1, with a certificate made for the run. Its
 * certificate is written to `caFile`, for a dispatcher process started with NODE_EXTRA_CA_CERTS
 * (read only at process start, hence a child process). `answer` decides each response status.
 */
export async function startHttpsReceiver() {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  const dir = mkdtempSync(join(tmpdir(), 'webhook-ca-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pems.cert);
  const received: ReceivedPost[] = [];
  const receiver = {
    caFile,
    received,
    port: 0,
    answer: (_post: ReceivedPost): number => 200,
    /** Extra response headers per post (a redirect's Location). */
    headers: (_post: ReceivedPost): Record<string, string> => ({}),
    /** When true for a post, the answer's body never ends: it streams until the client hangs up. */
    endless: (_post: ReceivedPost): boolean => false,
    url: (path = '/hook') => `https://127.0.0.1:${receiver.port}${path}`,
    /** Stops listening (the endpoint is "down"); `listen()` brings it back on the same port. */
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    async listen() {
      server = makeServer();
      await new Promise<void>((resolve) => server.listen(receiver.port, '127.0.0.1', resolve));
      receiver.port = (server.address() as AddressInfo).port;
    },
    async stop() {
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const makeServer = (): Server =>
    createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const post = { path: req.url ?? '', headers: req.headers as Record<string, string>, body };
        received.push(post);
        res.statusCode = receiver.answer(post);
        for (const [name, value] of Object.entries(receiver.headers(post))) res.setHeader(name, value);
        if (!receiver.endless(post)) return res.end('ok');
        const chunk = Buffer.alloc(16 * 1024, 'x');
        const pump = setInterval(() => res.write(chunk), 1);
        res.on('close', () => clearInterval(pump));
      });
    });
  let server = makeServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  return receiver;
}
