import type { Middleware } from 'koa';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { AppError, internal, malformedBody, methodNotAllowed, notFound, unavailable } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * The one error path. Handlers throw AppError; this turns it into the contract's body.
 * A database that is down or past its deadline is a 503 `unavailable` (logged once per outage
 * by the database, not per request). Anything else is logged once with the request id and
 * answered as a bare 500 `internal`.
 */
export function errorHandler(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.body === undefined || ctx.body === null) {
        // The router answers 404/405/501 without a body; give them the contract's shape.
        if (ctx.status === 404) throw notFound();
        if (ctx.status === 405 || ctx.status === 501) {
          throw methodNotAllowed((ctx.response.get('Allow') || '').split(/,\s*/).filter(Boolean));
        }
      }
    } catch (caught) {
      const error = toAppError(caught, ctx.state.log);
      ctx.status = error.status;
      for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
      ctx.body = error.toBody();
    }
  };
}

/** Long enough for a pod restart or a failover, short enough that a client retries soon. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

function toAppError(caught: unknown, log: Logger | undefined): AppError {
  if (caught instanceof AppError) return caught;
  // Koa/http-errors raised by libraries (e.g. a malformed URL): keep 4xx statuses, never their text.
  const status = (caught as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 404) return notFound();
    return malformedBody('The request could not be understood.');
  }
  if (isDatabaseUnavailable(caught)) return unavailable('The database is unavailable; try again shortly.', DATABASE_RETRY_AFTER_SECONDS);
  log?.error({ err: caught }, 'unhandled error');
  return internal();
}
