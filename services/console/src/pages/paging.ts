import type { Context } from 'koa';
import { filled } from './form.js';

/** One page of an API list, as the contract answers every list. */
export interface ListPage<T> {
  items: T[];
  next_cursor: string | null;
}

const PAGE_SIZE = 20;

/** The list call's query: the filters given (blank ones left out), the page size and this page's cursor. */
export function listQuery(ctx: Context, filters: Record<string, string> = {}): string {
  const cursor = typeof ctx.query.cursor === 'string' ? ctx.query.cursor : '';
  return new URLSearchParams(filled({ ...filters, limit: String(PAGE_SIZE), cursor })).toString();
}

/** The link to the next page: this page with its filters and the API's next cursor (none on the last page). */
export function nextPageHref(ctx: Context, nextCursor: string | null): string | null {
  if (!nextCursor) return null;
  const params = new URLSearchParams(ctx.querystring);
  params.set('cursor', nextCursor);
  return `${ctx.path}?${params.toString()}`;
}
