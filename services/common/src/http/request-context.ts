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
 * Assigns the request id (the caller's, when it is safe to echo, else a new one), echoes it in
 * `X-Request-Id`, and gives the request a logger whose every line carries the id and the trace
 * id (tracing off: the caller's `traceparent` trace id, or a new one per request). The child
 * logger is made when the request first logs: most requests log only their access line, which
 * observeRequests writes from `logFields`. The id, IP and user agent also become the request's
 * origin, which recorded events carry.
 */
export function requestContext(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    const requestId = VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    // With tracing on, the logger's mixin adds the request span's trace id to every line.
    const fields: RequestLogFields = tracingActive()
      ? { request_id: requestId }
      : { request_id: requestId, trace_id: requestTraceId(ctx.get('traceparent')) };
    ctx.state.requestId = requestId;
    ctx.state.logFields = fields;
    let log: Logger | undefined;
    Object.defineProperty(ctx.state, 'log', { get: () => (log ??= logger.child(fields)), enumerable: true });
    ctx.set('X-Request-Id', requestId);
    const userAgent = ctx.get('User-Agent').slice(0, MAX_USER_AGENT_LENGTH) || null;
    await runWithRequestOrigin({ ip: ctx.ip || null, userAgent, requestId }, next);
  };
}
