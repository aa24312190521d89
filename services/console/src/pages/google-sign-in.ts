import { randomBytes } from 'node:crypto';
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { ApiError } from '../api-client/api-error.js';
import { consoleSession } from '../http/console-session.js';
import { sameSecret } from '../http/csrf.js';
import { safeNext } from '../http/return-path.js';
import { jsonBody } from './form.js';
import { googleAnswerFrom } from './google-answer.js';
import type { PageDependencies } from './page-dependencies.js';
import { startSession } from './signing-in.js';

/** Where auth sends the browser back; auth's AUTH_REDIRECT_ALLOWLIST must allow `<console origin>` + this. */
export const GOOGLE_COMPLETION_PATH = '/sign-in/google/complete';

/** Auth's refusals of a Google sign-in (its callback's 4xx codes), in the console's words. */
const GOOGLE_REFUSALS = new Map<string, { status: number; message: string }>([
  ['invalid_token', { status: 401, message: 'This Google sign-in has expired or could not be verified. Start again.' }],
  [
    'conflict',
    {
      status: 409,
      message: 'An account with this e-mail address exists and cannot be joined to this Google account. Sign in with your password.',
    },
  ],
  [
    'email_not_verified',
    {
      status: 403,
      message: 'Google has not verified the e-mail address of this Google account. Verify it with Google, then try again.',
    },
  ],
  ['account_disabled', { status: 403, message: 'This account is disabled.' }],
]);

/** As long as auth keeps its side of the login (its LOGIN_TTL_MS). */
const LOGIN_TTL_MS = 10 * 60_000;

/**
 * Google sign-in through auth. `/sign-in/google` notes a random state in the session and sends the
 * browser to auth's `/auth/google/login` with this console's completion page as `redirect_to`
 * (the state in its query). Auth comes back there with the token pair, or a second-factor
 * challenge, in the URL fragment, which never reaches a server: the page's script posts it here
 * with the state and the CSRF token, and the tokens go into the server-side session as after a
 * password sign-in. The state ties the completion to a login this browser started, so nobody
 * can sign a victim in to the attacker's account by sending them a completion link.
 */
export function googleSignInPages(router: Router, deps: PageDependencies): void {
  const { api, views } = deps;

  router.get('/sign-in/google', (ctx) => {
    const state = randomBytes(24).toString('base64url');
    consoleSession(ctx).pendingGoogle = { state, next: safeNext(ctx.query.next), expiresAt: Date.now() + LOGIN_TTL_MS };
    // This site as the browser sees it (behind a proxy, from X-Forwarded-* when TRUST_PROXY is on);
    // auth's allow-list decides whether it may receive the tokens.
    const completion = `${ctx.protocol}://${ctx.host}${GOOGLE_COMPLETION_PATH}?${new URLSearchParams({ state })}`;
    ctx.redirect(`/auth/google/login?${new URLSearchParams({ redirect_to: completion })}`);
  });

  router.get(GOOGLE_COMPLETION_PATH, (ctx) => views.render(ctx, 'google-complete', { title: 'Signing you in with Google' }));

  router.post(GOOGLE_COMPLETION_PATH, async (ctx) => {
    const session = consoleSession(ctx);
    const pending = session.pendingGoogle;
    // One try per login, whatever its outcome.
    delete session.pendingGoogle;
    const body = jsonBody(ctx);
    if (!pending || pending.expiresAt <= Date.now() || !sameSecret(body.state, pending.state)) {
      return refuse(ctx, 401, 'invalid_token', 'This Google sign-in did not start in this browser or has expired. Start again.');
    }
    const answer = googleAnswerFrom(body.fragment);
    if (!answer) {
      return refuse(ctx, 422, 'validation_failed', 'The answer from Google sign-in was incomplete or damaged. Start again.');
    }
    if ('refused' in answer) {
      const known = GOOGLE_REFUSALS.get(answer.refused);
      return known
        ? refuse(ctx, known.status, answer.refused, known.message)
        : refuse(ctx, 400, 'google_refused', 'Google sign-in did not work. Start again.');
    }
    if ('mfa' in answer) {
      session.pendingMfa = { ...answer.mfa, next: pending.next };
      ctx.body = { next: '/sign-in/second-factor' };
      return;
    }
    try {
      await startSession(ctx, api, answer.pair);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      if (error.status === 401) return refuse(ctx, 401, 'invalid_token', 'This Google sign-in could not be verified. Start again.');
      return refuse(ctx, error.status, error.code, error.message);
    }
    ctx.body = { next: pending.next };
  });
}

/** The contract's error body, for the completion page's script to show. */
function refuse(ctx: Context, status: number, code: string, message: string): void {
  ctx.status = status;
  ctx.body = { error: { code, message } };
}
