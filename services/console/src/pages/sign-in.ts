import type { Router } from '@koa/router';
import { ApiError } from '../api-client/api-error.js';
import { consoleSession } from '../http/console-session.js';
import { safeNext } from '../http/return-path.js';
import type { TokenPair } from '../http/token-refresher.js';
import { callerOf } from '../http/user-api.js';
import { field, jsonBody, secretField } from './form.js';
import type { PageDependencies } from './page-dependencies.js';
import { startSession } from './signing-in.js';

/**
 * `/sign-in`: password (then the second factor when the API says `mfa_required`), a passkey
 * alone (the browser's autofill offers it where conditional UI is supported), and Google when
 * configured.
 */
export function signInPage(router: Router, deps: PageDependencies): void {
  const { api, views } = deps;
  const title = 'Sign in';
  const page = (next: string, ended: boolean) => ({ title, next, ended });

  router.get('/sign-in', (ctx) => views.render(ctx, 'sign-in', page(safeNext(ctx.query.next), ctx.query.ended === '1')));

  router.post('/sign-in', async (ctx) => {
    const next = safeNext(field(ctx, 'next'));
    const email = field(ctx, 'email');
    try {
      const pair = await api.post<TokenPair>('/auth/token', {
        json: { email, password: secretField(ctx, 'password') },
        caller: callerOf(ctx),
      });
      await startSession(ctx, api, pair);
      ctx.redirect(next);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'mfa_required' && error.mfa) {
        consoleSession(ctx).pendingMfa = { ...error.mfa, next };
        return ctx.redirect('/sign-in/second-factor');
      }
      views.refused(ctx, 'sign-in', { ...page(next, false), values: { email } }, error, ['email', 'password']);
    }
  });

  // The passkey ceremony's two halves, called by static/passkeys.js with the CSRF header.
  router.post('/sign-in/passkey/options', async (ctx) => {
    ctx.body = await api.post('/auth/passkeys/authentication/options', { json: {}, caller: callerOf(ctx) });
  });

  router.post('/sign-in/passkey', async (ctx) => {
    const body = jsonBody(ctx);
    try {
      const pair = await api.post<TokenPair>('/auth/passkeys/authentication', {
        json: { challenge_id: body.challenge_id, response: body.response },
        caller: callerOf(ctx),
      });
      await startSession(ctx, api, pair);
      ctx.body = { next: safeNext(body.next) };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      ctx.status = error.status;
      ctx.body = {
        message: error.code === 'invalid_credentials' ? 'That passkey was not accepted. Try another way to sign in.' : error.message,
      };
    }
  });
}
