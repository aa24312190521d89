import type { Context, Middleware } from 'koa';
import type { Guard } from '../http/api-router.js';
import { bearerToken } from '../http/guards.js';
import { unauthenticated } from '../errors.js';
import type { ServiceAuthenticator, ServiceCaller } from './service-authenticator.js';

/** A service credential in `Authorization: Bearer`; a user's access token is not one (401). */
export function requireService(authenticator: ServiceAuthenticator): Guard {
  const middleware: Middleware = async (ctx, next) => {
    const token = bearerToken(ctx);
    if (!token) throw unauthenticated('A service credential is required.');
    ctx.state.service = await authenticator.authenticate(token);
    await next();
  };
  return { middleware, scheme: 'service', errors: [401, 403, 503] };
}

/** The calling service; only valid after `requireService`. */
export function currentService(ctx: Context): ServiceCaller {
  const service = ctx.state.service;
  if (!service) throw unauthenticated();
  return service;
}
