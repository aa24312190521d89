import type { Router } from '@koa/router';
import type { AuditEvent } from './audit-event.js';
import type { PageDependencies } from './page-dependencies.js';
import { listQuery, nextPageHref, type ListPage } from './paging.js';
import { readable } from './readable.js';
import { requireSignIn } from './signing-in.js';

/** `/account/activity`: the events about the person's own account (sign-ins, changes), a page at a time. */
export function accountActivityPage(router: Router, deps: PageDependencies): void {
  router.get('/account/activity', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const listed = await deps.userApi(ctx).get<ListPage<AuditEvent>>(`/auth/me/activity?${listQuery(ctx)}`);
    deps.views.render(ctx, 'account-activity', {
      title: 'Recent activity',
      events: listed.items,
      next: nextPageHref(ctx, listed.next_cursor),
      ...readable,
    });
  });
}
