/**
 * The read limit: a bare node:http server doing exactly the work of `GET /users/me` and
 * `GET /auth/me` (read-work.ts) and nothing else: no framework, no logging, no metrics, no
 * security headers. `/healthz` is the HTTP limit:
 * the smallest answer Node's HTTP server can give. Started by the harness as its own process.
 */
import { createServer, type ServerResponse } from 'node:http';
import { answer, env } from './read-work.js';

function send(res: ServerResponse, status: number, body: unknown) {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

const server = createServer(async (req, res) => {
  const { status, body } = await answer(req.method, req.url, req.headers.authorization);
  send(res, status, body);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(env('PORT')), '127.0.0.1');
