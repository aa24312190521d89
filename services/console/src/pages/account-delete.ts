import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { ApiError } from '../api-client/api-error.js';
import { field } from './form.js';
import type { PageDependencies } from './page-dependencies.js';
import { requireSignIn } from './signing-in.js';

/**
 * `/account/delete`: the person types DELETE and the account goes. The API checks the word and
 * refuses (409 `sole_owner`) while they are the last owner of a business others belong to: its
 * details name each such business. Once accepted the console session ends and a goodbye shows.
 */
export function accountDeletePage(router: Router, deps: PageDependencies): void {
  const { views } = deps;
  const title = 'Delete your account';

  router.get('/account/delete', (ctx) => {
    if (requireSignIn(ctx)) views.render(ctx, 'account-delete', { title });
  });

  router.post('/account/delete', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    try {
      await deps.userApi(ctx).call('DELETE', '/auth/me', { confirm: field(ctx, 'confirm') });
    } catch (error) {
      return refused(ctx, error);
    }
    // The tokens already fail everywhere; the console forgets them, then says goodbye on a page of its own.
    ctx.session = null;
    ctx.redirect('/account/deleted');
  });

  router.get('/account/deleted', (ctx) => views.render(ctx, 'goodbye', { title: 'Your account is deleted' }));

  const refused = (ctx: Context, error: unknown) => {
    if (error instanceof ApiError && error.code === 'sole_owner') {
      const blockers = error.details.map((detail) => detail.message);
      return views.render(ctx, 'account-delete', { title, soleOwner: error.message, blockers }, error.status);
    }
    views.refused(ctx, 'account-delete', { title }, error, ['confirm']);
  };
}
