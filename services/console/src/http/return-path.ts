import type { Context } from 'koa';

/** Only a path on this site: `next=//evil.example` or `next=https://…` would be an open redirect. */
export function safeNext(value: unknown, fallback = '/account'): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}

/** Where to come back to after signing in again: this page, or for a form the page it was on. */
export function returnPath(ctx: Context): string {
  if (ctx.method === 'GET') return ctx.path;
  const referer = ctx.get('Referer');
  return URL.canParse(referer) ? safeNext(new URL(referer).pathname) : '/account';
}
