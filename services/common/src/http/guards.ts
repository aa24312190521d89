import type { Context, Middleware } from 'koa';
import { forbidden, invalidToken, unauthenticated } from '../errors.js';
import type { AccessTokenClaims, AccessTokenVerifier } from '../tokens/access-token.js';
import type { Guard } from './api-router.js';

/** The bearer value of `Authorization`, or undefined when the header is absent or not Bearer. */
export function bearerToken(ctx: Context): string | undefined {
  const header = ctx.get('Authorization');
  const match = /^Bearer\s+(.*)$/i.exec(header);
  if (!match) return undefined;
  const token = match[1]!.trim();
  if (!token) throw invalidToken();
  return token;
}

/** The caller's verified access-token claims; only valid after `requireUser`. */
export function currentUser(ctx: Context): AccessTokenClaims {
  const user = ctx.state.user;
  if (!user) throw unauthenticated();
  return user;
}

export function requireUser(verifier: AccessTokenVerifier): Guard {
  const middleware: Middleware = async (ctx, next) => {
    const token = bearerToken(ctx);
    if (!token) throw unauthenticated();
    ctx.state.user = await verifier.verify(token);
    await next();
  };
  return { middleware, scheme: 'bearer', errors: [401] };
}

/** A valid access token whose `roles` include `role`. */
export function requireRole(verifier: AccessTokenVerifier, role: string): Guard {
  const user = requireUser(verifier);
  const middleware: Middleware = (ctx, next) =>
    user.middleware(ctx, async () => {
      if (!currentUser(ctx).roles.includes(role)) throw forbidden(`This requires the ${role} role.`);
      await next();
    });
  return { middleware, scheme: 'bearer', errors: [401, 403] };
}
