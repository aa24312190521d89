import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { ApiError } from '../api-client/api-error.js';
import { consoleSession, type PendingSecondFactor } from '../http/console-session.js';
import type { TokenPair } from '../http/token-refresher.js';
import { callerOf } from '../http/user-api.js';
import { field, jsonBody } from './form.js';
import type { PageDependencies } from './page-dependencies.js';
import { startSession } from './signing-in.js';

/**
 * `/sign-in/second-factor`: after the first factor, a TOTP or recovery code, or a passkey, all
 * answered through `POST /auth/mfa/verify` with the challenge the API handed out.
 */
export function secondFactorPage(router: Router, deps: PageDependencies): void {
  const { api, views } = deps;
  const title = 'Confirm it is you';
  const pending = (ctx: Context): PendingSecondFactor | undefined => {
    const challenge = consoleSession(ctx).pendingMfa;
    if (!challenge) ctx.redirect('/sign-in');
    return challenge;
  };
  const page = (challenge: PendingSecondFactor) => ({ title, passkey: challenge.factors.some((f) => f.type === 'passkey') });

  /** The challenge is dead (used up, expired, too many tries): start again from the password. */
  const challengeEnded = (ctx: Context, error: unknown) => {
    if (!(error instanceof ApiError && error.status === 401)) return false;
    const session = consoleSession(ctx);
    delete session.pendingMfa;
    session.flash = 'That sign-in attempt has ended. Please sign in again.';
    return true;
  };

  router.get('/sign-in/second-factor', (ctx) => {
    const challenge = pending(ctx);
    if (challenge) views.render(ctx, 'second-factor', page(challenge));
  });

  router.post('/sign-in/second-factor', async (ctx) => {
    const challenge = pending(ctx);
    if (!challenge) return;
    try {
      const pair = await api.post<TokenPair>('/auth/mfa/verify', {
        json: { mfa_token: challenge.mfa_token, code: field(ctx, 'code').replace(/\s+/g, '') },
        caller: callerOf(ctx),
      });
      await startSession(ctx, api, pair);
      ctx.redirect(challenge.next);
    } catch (error) {
      if (challengeEnded(ctx, error)) return ctx.redirect('/sign-in');
      views.refused(ctx, 'second-factor', page(challenge), error, ['code']);
    }
  });

  router.post('/sign-in/second-factor/passkey/options', async (ctx) => {
    const challenge = pending(ctx);
    if (!challenge) return;
    ctx.body = await api.post('/auth/passkeys/authentication/options', { json: { mfa_token: challenge.mfa_token }, caller: callerOf(ctx) });
  });

  router.post('/sign-in/second-factor/passkey', async (ctx) => {
    const challenge = pending(ctx);
    if (!challenge) return;
    try {
      const pair = await api.post<TokenPair>('/auth/mfa/verify', {
        json: { mfa_token: challenge.mfa_token, passkey_response: jsonBody(ctx).response },
        caller: callerOf(ctx),
      });
      await startSession(ctx, api, pair);
      ctx.body = { next: challenge.next };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      ctx.status = error.status;
      ctx.body = { message: challengeEnded(ctx, error) ? 'That sign-in attempt has ended. Please sign in again.' : error.message };
    }
  });
}
