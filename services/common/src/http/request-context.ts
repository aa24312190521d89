import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../logger.js';
import { requestTraceId, tracingActive } from '../tracing/trace-ids.js';
import { runWithRequestOrigin } from '../request-origin.js';

const MAX_USER_AGENT_LENGTH = 512;
const VALID_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** What every line a request logs carries: its id, and its trace id when tracing is off. */
export interface RequestLogFields {
  request_id: string;
  trace_id?: string;
}

/**
 * Koa's `ctx.state` for one request, with the request's child logger made on first use: most
 * requests log only their access line, which observeRequests writes from `logFields`. The getter
 * lives on the prototype, so every request's state has the same shape.
 */
class RequestState {
  private child: Logger | undefined;

  constructor(
    private readonly logger: Logger,
    readonly requestId: string,
    readonly logFields: RequestLogFields,
  ) {}

  get log(): Logger {
    return (this.child ??= this.logger.child(this.logFields));
  }
}

/**
 * Assigns the request id (the caller's, when it is safe to echo, else a new one), echoes it in
 * `X-Request-Id`, and gives the request a logger whose every line carries the id and the trace
 * id (tracing off: the caller's `traceparent` trace id, or a new one per request). The id, IP
 * and user agent also become the request's origin, which recorded events carry.
 */
export function requestContext(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    const requestId = VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    // With tracing on, the logger's mixin adds the request span's trace id to every line.
    const fields: RequestLogFields = tracingActive()
      ? { request_id: requestId }
      : { request_id: requestId, trace_id: requestTraceId(ctx.get('traceparent')) };
    // Usually the first middleware, so Koa's state is still empty; later ones add the rest of it.
    ctx.state = Object.assign(new RequestState(logger, requestId, fields), ctx.state) as unknown as typeof ctx.state;
    ctx.set('X-Request-Id', requestId);
    const userAgent = ctx.get('User-Agent').slice(0, MAX_USER_AGENT_LENGTH) || null;
    await runWithRequestOrigin({ ip: ctx.ip || null, userAgent, requestId }, next);
  };
}
