import type { Router } from '@koa/router';
import { consoleSession } from '../http/console-session.js';
import { field } from './form.js';
import { afterSignIn } from './invitation-accept.js';
import type { PageDependencies } from './page-dependencies.js';
import { pickUser, requireSignIn } from './signing-in.js';
import type { SignedInUser } from '../http/console-session.js';

/** `/verify-email`: the 6-digit code from the e-mail; a new code on request. */
export function verifyEmailPage(router: Router, deps: PageDependencies): void {
  const { views } = deps;
  const title = 'Verify your e-mail address';
  router.get('/verify-email', (ctx) => {
    if (!requireSignIn(ctx)) return;
    views.render(ctx, 'verify-email', { title });
  });

  router.post('/verify-email', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const api = deps.userApi(ctx);
    try {
      const { user } = await api.call<{ user: SignedInUser }>('POST', '/auth/email/verification/confirm', { code: field(ctx, 'code') });
      // The access token must say the address is verified before the merchant routes accept it.
      await api.renewTokens();
      consoleSession(ctx).user = pickUser(user);
      consoleSession(ctx).flash = 'Your e-mail address is verified.';
      // An invitee who signed up from an invitation link goes back to accept it.
      ctx.redirect(afterSignIn(ctx, '/merchant'));
    } catch (error) {
      views.refused(ctx, 'verify-email', { title }, error, ['code']);
    }
  });

  router.post('/verify-email/resend', async (ctx) => {
    if (!requireSignIn(ctx)) return;
    try {
      await deps.userApi(ctx).call('POST', '/auth/email/verification');
      consoleSession(ctx).flash = 'A new code is on its way; the previous one no longer works.';
      ctx.redirect('/verify-email');
    } catch (error) {
      views.refused(ctx, 'verify-email', { title }, error, []);
    }
  });
}
