import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { EVENT_TYPES } from '@merchant-platform/common/events/catalogue';
import { requireAdmin } from './admins-only.js';
import type { AuditEvent } from './audit-event.js';
import type { PageDependencies } from './page-dependencies.js';
import { listQuery, nextPageHref, type ListPage } from './paging.js';
import { readable } from './readable.js';
import { requireSignIn } from './signing-in.js';

/** The API's filters, named as its query names them; the form uses the same names. */
const FILTERS = ['type', 'actor_id', 'subject_id', 'since', 'until'];

/** `/admin/audit` (admins only): the platform's events, filtered as the API allows, a page at a time. */
export function adminAuditPage(router: Router, deps: PageDependencies): void {
  const { views } = deps;

  router.get('/admin/audit', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    if (!requireAdmin(ctx, views)) return;
    const filters = filtersOf(ctx);
    const data = { title: 'Audit log', eventTypes: EVENT_TYPES, values: filters, events: [], next: null, ...readable };
    try {
      const listed = await deps.userApi(ctx).get<ListPage<AuditEvent>>(`/auth/audit?${listQuery(ctx, filters)}`);
      views.render(ctx, 'admin-audit', { ...data, events: listed.items, next: nextPageHref(ctx, listed.next_cursor) });
    } catch (error) {
      // A bad time or cursor is the API's 422, shown beside the filter it concerns.
      views.refused(ctx, 'admin-audit', data, error, FILTERS);
    }
  });
}

function filtersOf(ctx: Context): Record<string, string> {
  return Object.fromEntries(FILTERS.map((name) => [name, typeof ctx.query[name] === 'string' ? ctx.query[name].trim() : '']));
}
