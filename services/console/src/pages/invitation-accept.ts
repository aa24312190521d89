import type { Router } from '@koa/router';
import { consoleSession } from '../http/console-session.js';
import { field } from './form.js';
import type { PageDependencies } from './page-dependencies.js';
import { requireSignIn } from './signing-in.js';

/**
 * `/invitations/accept?token=`: the link in an invitation e-mail. Signed in with the invited
 * address, the person accepts and lands on the business's page.
 */
export function invitationAcceptPage(router: Router, deps: PageDependencies): void {
  const { views } = deps;
  const title = 'Join a business';

  router.get('/invitations/accept', (ctx) => {
    const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    if (!consoleSession(ctx).tokens) return ctx.redirect(`/sign-in?next=${encodeURIComponent(`/invitations/accept?token=${token}`)}`);
    views.render(ctx, 'invitation-accept', { title, token });
  });

  router.post('/invitations/accept', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const token = field(ctx, 'token');
    try {
      const { membership } = await deps
        .userApi(ctx)
        .call<{ membership: { merchant_id: string; role: string } }>('POST', '/merchants/invitations/accept', { token });
      consoleSession(ctx).flash = `You joined as ${membership.role}.`;
      ctx.redirect(`/merchant?merchant=${encodeURIComponent(membership.merchant_id)}`);
    } catch (error) {
      views.refused(ctx, 'invitation-accept', { title, token }, error, ['token']);
    }
  });
}
