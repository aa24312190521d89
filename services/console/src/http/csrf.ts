import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { AppError } from '@merchant-platform/common/errors';
import { consoleSession } from './console-session.js';

/** The session's CSRF token, made on first use; every form carries it as `_csrf`. */
export function csrfToken(ctx: Context): string {
  const session = consoleSession(ctx);
  session.csrf ??= randomBytes(32).toString('base64url');
  return session.csrf;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses every state-changing request whose `_csrf` field (forms) or `X-CSRF-Token` header
 * (the passkey scripts' JSON calls) is not the session's token: another site can make the
 * browser send the cookie, but cannot read the token.
 */
export function csrfProtection(): Middleware {
  return async (ctx, next) => {
    if (SAFE_METHODS.has(ctx.method)) return next();
    const expected = consoleSession(ctx).csrf;
    const body = ctx.state.rawBody as Record<string, unknown> | undefined;
    const given = ctx.get('X-CSRF-Token') || (typeof body?._csrf === 'string' ? body._csrf : '');
    if (!expected || !sameSecret(given, expected)) {
      throw new AppError(403, 'forbidden', 'This form has expired or did not come from this site. Reload the page and try again.');
    }
    return next();
  };
}

/** Compares two secrets in constant time; anything but a string never matches. */
export function sameSecret(a: unknown, b: string): boolean {
  if (typeof a !== 'string') return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
