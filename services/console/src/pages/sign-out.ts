import type { Router } from '@koa/router';
import { consoleSession } from '../http/console-session.js';
import { callerOf } from '../http/user-api.js';
import type { PageDependencies } from './page-dependencies.js';

/** `POST /sign-out`: the API forgets the refresh token, the console forgets the session. */
export function signOut(router: Router, deps: PageDependencies): void {
  router.post('/sign-out', async (ctx) => {
    const tokens = consoleSession(ctx).tokens;
    if (tokens) await deps.api.post('/auth/logout', { json: { refresh_token: tokens.refresh }, caller: callerOf(ctx) });
    ctx.session = null;
    ctx.redirect('/sign-in');
  });
}
