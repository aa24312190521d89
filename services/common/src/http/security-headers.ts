import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { Middleware } from 'koa';

/**
 * Helmet's default headers, worked out once at start-up: with no per-request option they are
 * the same for every response, and running helmet's twelve middlewares on each request was
 * measurable on the hot read. The headers are read off helmet itself, so they stay its defaults.
 */
export function securityHeaders(): Middleware {
  const headers: Record<string, string> = {};
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string) => void (headers[name] = value),
    removeHeader: (name: string) => void removed.push(name),
  } as unknown as ServerResponse;
  helmet()({} as IncomingMessage, recorder, (error?: unknown) => {
    if (error) throw error;
  });
  return async (ctx, next) => {
    ctx.set(headers);
    for (const name of removed) ctx.remove(name);
    await next();
  };
}
