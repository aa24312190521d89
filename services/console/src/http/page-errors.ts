import type { Middleware } from 'koa';
import { AppError } from '@merchant-platform/common/errors';
import type { Logger } from '@merchant-platform/common/logger';
import { ApiError } from '../api-client/api-error.js';
import { consoleSession } from './console-session.js';
import { returnPath } from './return-path.js';
import { SignedOutError } from './user-api.js';
import type { Views } from './views.js';

/**
 * The console's one error path, in HTML: a session that ended goes to sign-in, a step-up goes to
 * sign-in with a note, the client's own mistakes (4xx) say what went wrong, and anything
 * unexpected is logged once and shown as a plain apology without internals.
 */
export function pageErrors(views: Views, logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined)
        views.render(ctx, 'error', { title: 'Page not found', message: 'There is no page here.' }, 404);
    } catch (caught) {
      if (caught instanceof SignedOutError) {
        ctx.session = null;
        return ctx.redirect(`/sign-in?next=${encodeURIComponent(returnPath(ctx))}&ended=1`);
      }
      if (caught instanceof ApiError && caught.code === 'step_up_required') {
        consoleSession(ctx).flash = 'For this change, sign in again first (a recent sign-in is required).';
        return ctx.redirect(`/sign-in?next=${encodeURIComponent(returnPath(ctx))}`);
      }
      if (caught instanceof AppError || (caught instanceof ApiError && caught.status < 500)) {
        const status = caught.status;
        return views.render(ctx, 'error', { title: 'Something is not right', message: caught.message }, status);
      }
      const status = caught instanceof ApiError ? 503 : 500;
      ((ctx.state.log as Logger | undefined) ?? logger).error(
        { err: caught instanceof ApiError ? { code: caught.code, status: caught.status } : caught },
        'console page failed',
      );
      views.render(
        ctx,
        'error',
        { title: 'Something went wrong', message: 'The page could not be shown. Please try again in a moment.' },
        status,
      );
    }
  };
}
