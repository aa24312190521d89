/**
 * The framework-overhead baseline: the read limit's work (read-work.ts) answered by a Koa app
 * with no middleware at all. Against the read limit it prices Koa itself; against the services
 * it prices everything the services add (request context, logging, metrics, security headers,
 * CORS, the error path, routing, validation and the ORM).
 */
import Koa from 'koa';
import { answer, env } from './read-work.js';

const app = new Koa();
app.use(async (ctx) => {
  const { status, body } = await answer(ctx.method, ctx.url, ctx.get('Authorization') || undefined);
  ctx.status = status;
  ctx.body = body;
});
const server = app.listen(Number(env('PORT')), '127.0.0.1');
server.keepAliveTimeout = 65_000;
