import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { Middleware } from 'koa';
import { accessLogger, type Logger } from './logger.js';
import { nameRequestSpan } from './tracing/trace-ids.js';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

/**
 * Requests a rate limit refused, by the limit's name (`token-ip`, `mails`, `api-key`...). Counted
 * where limits are spent (rate-limit.ts), which holds no registry, so it is one counter for the
 * process that every registry created here includes.
 */
export const rateLimitRejections = new Counter({
  name: 'rate_limit_rejections_total',
  help: 'Requests refused by a rate limit, by limit name',
  labelNames: ['limit'] as const,
  registers: [],
});

/** One registry per process (all-in-one mode shares it across the three services). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  registry.registerMetric(rateLimitRejections);
  return { registry, httpDuration };
}

const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Records the duration histogram and writes one access-log line per request. It sits outside
 * the error handler so it sees the final status. Routes are labelled by template, never by
 * raw path, so an attacker cannot blow up label cardinality.
 */
export function observeRequests(metrics: Metrics, logger: Logger): Middleware {
  const access = accessLogger(logger);
  return async (ctx, next) => {
    const startedAt = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const route = ctx._matchedRoute ?? 'unmatched';
      metrics.httpDuration.observe({ method: ctx.method, route: String(route), status: String(ctx.status) }, seconds);
      if (ctx._matchedRoute) nameRequestSpan(ctx.method, String(route));
      // Written out rather than spread from logFields: with a spread here the bench measured
      // twice the resident memory at high request rates (the old generation filled with lines).
      // No trace_id key at all with tracing on: the logger's mixin adds the span's, and an
      // undefined one here would override it.
      const { request_id, trace_id } = ctx.state.logFields;
      const { method, status } = ctx;
      const ms = Math.round(seconds * 1e4) / 10;
      const line = trace_id === undefined ? { request_id, method, route, status, ms } : { request_id, trace_id, method, route, status, ms };
      if (QUIET_ROUTES.has(ctx.path)) access.debug(line, 'request');
      else access.info(line, 'request');
    }
  };
}
