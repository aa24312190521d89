import { randomBytes } from 'node:crypto';
import type { Middleware } from 'koa';

/**
 * A fresh nonce per response and a strict Content-Security-Policy: scripts and the one branding
 * style block run only with the nonce, everything else comes from this origin, and no site may
 * frame the console. Pages also never sit in a shared cache (they show account data).
 */
export function securityHeaders(options: { extraImageOrigins: string[] }): Middleware {
  const images = ["'self'", 'data:', ...options.extraImageOrigins].join(' ');
  return async (ctx, next) => {
    const nonce = randomBytes(18).toString('base64');
    ctx.state.nonce = nonce;
    ctx.set(
      'Content-Security-Policy',
      [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'self' 'nonce-${nonce}'`,
        `img-src ${images}`,
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
}
