import type { Router } from '@koa/router';
import type { PageDependencies } from './page-dependencies.js';
import { requireSignIn } from './signing-in.js';

/**
 * `/account/export`: the person's data as one JSON file. The API wants a recent sign-in; its
 * `step_up_required` goes through the console's error path (sign in again, then back here).
 */
export function accountExportPage(router: Router, deps: PageDependencies): void {
  router.get('/account/export', (ctx) => {
    if (requireSignIn(ctx)) deps.views.render(ctx, 'account-export', { title: 'Export your data' });
  });

  router.get('/account/export/download', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const exported = await deps.userApi(ctx).get<{ exported_at: string }>('/auth/me/export');
    ctx.type = 'application/json; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="my-data-${exported.exported_at.slice(0, 10)}.json"`);
    // Said here as well as for every page: a copy of someone's data must never sit in a cache.
    ctx.set('Cache-Control', 'no-store');
    ctx.body = JSON.stringify(exported, null, 2);
  });
}
