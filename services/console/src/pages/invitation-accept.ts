import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { ApiError } from '../api-client/api-error.js';
import { consoleSession } from '../http/console-session.js';
import type { PageDependencies } from './page-dependencies.js';
import { requireSignIn } from './signing-in.js';

export const ACCEPT_PATH = '/invitations/accept';

/** Where to go once signed in (or verified): the invitation still waiting, else `fallback`. */
export const afterSignIn = (ctx: Context, fallback: string): string => (consoleSession(ctx).invitationToken ? ACCEPT_PATH : fallback);

/** Unknown, used, expired and revoked tokens all answer 404: one message for all of them. */
const NO_LONGER_VALID = 'This invitation is no longer valid: it was used, revoked or has expired. Ask the business for a new one.';

/**
 * `/invitations/accept?token=`: the link in an invitation e-mail. The token moves into the
 * server-side session at once (the address bar, history and later requests no longer carry it),
 * the invitee signs in or signs up and verifies, comes back here, accepts, and lands on the
 * business's page.
 */
export function invitationAcceptPage(router: Router, deps: PageDependencies): void {
  const { views } = deps;
  const title = 'Join a business';

  router.get(ACCEPT_PATH, (ctx) => {
    const session = consoleSession(ctx);
    if (typeof ctx.query.token === 'string' && ctx.query.token !== '') {
      session.invitationToken = ctx.query.token;
      return ctx.redirect(ACCEPT_PATH);
    }
    if (!session.invitationToken) {
      return views.render(
        ctx,
        'invitation-accept',
        { title, errors: { fields: {}, form: NO_LONGER_VALID, status: 404 }, token: false },
        404,
      );
    }
    if (!session.tokens) {
      session.flash = 'Sign in, or create an account with the invited address, to join the business.';
      return ctx.redirect(`/sign-in?next=${encodeURIComponent(ACCEPT_PATH)}`);
    }
    views.render(ctx, 'invitation-accept', { title, token: true });
  });

  router.post(ACCEPT_PATH, async (ctx) => {
    if (!requireSignIn(ctx)) return;
    const session = consoleSession(ctx);
    try {
      if (!session.invitationToken) throw new ApiError(404, 'not_found', NO_LONGER_VALID);
      const { membership } = await deps
        .userApi(ctx)
        .call<{ membership: { merchant_id: string; role: string } }>('POST', '/merchants/invitations/accept', {
          token: session.invitationToken,
        });
      delete session.invitationToken;
      session.flash = `You joined the business as ${membership.role}.`;
      ctx.redirect(`/merchant?merchant=${encodeURIComponent(membership.merchant_id)}`);
    } catch (error) {
      // A dead token stays dead: forget it, so the next sign-in does not come back here.
      const gone = error instanceof ApiError && error.status === 404;
      if (gone) delete session.invitationToken;
      const shown = gone ? new ApiError(404, error.code, NO_LONGER_VALID) : error;
      views.refused(ctx, 'invitation-accept', { title, token: !gone }, shown, []);
    }
  });
}
