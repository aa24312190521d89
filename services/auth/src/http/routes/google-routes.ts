import type { Context } from 'koa';
import { z, type ZodType } from 'zod';
import type { ApiRouter } from '@merchant-platform/common/http/api-router';
import type { SessionBag } from '@merchant-platform/common/http/request-state';
import { AppError } from '@merchant-platform/common/errors';
import { redirectOfLogin, type GoogleSignIn } from '../../domain/google-sign-in.js';
import { MfaRequired, type MfaChallengeView } from '../../domain/mfa-challenge.js';
import type { TokenPair } from '../../domain/token-issuer.js';
import { MFA_REQUIRED_401 } from '../mfa-schemas.js';
import { sendTokenPair } from './token-routes.js';

const LoginQuery = z.object({
  redirect_to: z
    .string()
    .max(2048)
    .optional()
    .describe('Where to send the browser afterwards; must start with an AUTH_REDIRECT_ALLOWLIST entry'),
});

/** What the provider appends to the redirect URI; anything else it adds is ignored. */
const CallbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(1024).optional(),
  iss: z.string().max(2048).optional(),
  scope: z.string().max(4096).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(4096).optional(),
});

/**
 * `GET /auth/google/login` and `GET /auth/google/callback`. The login's state, nonce and PKCE
 * verifier live in the signed, httpOnly session cookie, and the callback removes them before
 * anything else, so each login can be completed (or fail) exactly once.
 */
export function googleRoutes(api: ApiRouter, google: GoogleSignIn, pairSchema: ZodType, mfaRequired: ZodType): ApiRouter {
  const tags = ['google'];
  // Switched off, the routes answer 404: only the internal document still describes them.
  const internal = !google.enabled;
  return api
    .route({
      method: 'get',
      path: '/auth/google/login',
      summary: 'Start Google sign-in',
      description:
        'Redirects the browser to Google (authorization-code flow with `state`, `nonce` and PKCE S256) and sets the ' +
        '`mp_session` cookie (signed, httpOnly, SameSite=Lax, 10 minutes) that the callback needs. ' +
        '`redirect_to` must start with an entry of AUTH_REDIRECT_ALLOWLIST. 404 when Google sign-in is not configured.',
      tags,
      internal,
      query: LoginQuery,
      errors: [404, 503],
      responses: { 302: { description: "To Google's authorization endpoint" } },
      handler: async (ctx, { query }) => {
        const { location, pending } = await google.begin(query.redirect_to);
        sessionOf(ctx).google = pending;
        redirect(ctx, location);
      },
    })
    .route({
      method: 'get',
      path: '/auth/google/callback',
      summary: 'Finish Google sign-in',
      description:
        "Google's redirect back, with the `mp_session` cookie set by the login. The ID token is checked (issuer, audience, " +
        'signature, nonce, expiry) and the Google account is matched by its subject. On first sign-in it creates an account ' +
        '(email verified, `auth_methods: ["google"]`), or links the account with the same email only when Google has verified ' +
        'the address; linking an account whose email was not verified clears its password and revokes its refresh tokens. ' +
        'Answers the token pair (200), or, when the login had a `redirect_to`, a 302 there with the pair in the URL fragment ' +
        '(`#access_token=...&refresh_token=...&token_type=bearer&expires_in=...`), never in the query. ' +
        'A user with a second factor gets 401 `mfa_required` with an `mfa` challenge. A page navigation (a request whose ' +
        '`Accept` prefers `text/html`, which only a browser following the redirect sends) for a login with a `redirect_to` ' +
        'is not left on a JSON page: it is sent there with the challenge in the fragment (`#error=mfa_required&mfa_token=...' +
        '&mfa_factors=<JSON list of {id, type}>&mfa_expires_in=...`, answered at `/auth/mfa/verify`), or with ' +
        '`#error=<code>&error_description=<message>` for any of the 4xx errors below. ' +
        '401 `invalid_token` for a wrong, expired or reused `state`, code or nonce; 409 `conflict` when Google has not verified ' +
        'the email and an account has it (nothing is created or linked); 403 `email_not_verified` when Google has not verified ' +
        'the email and no account has it (nothing is created); 403 `account_disabled`.',
      tags,
      internal,
      query: CallbackQuery,
      errors: [403, 404, 409, 503],
      responses: {
        401: { description: MFA_REQUIRED_401, schema: mfaRequired },
        200: { description: 'A token pair (`auth_method: "google"` in the access token)', schema: pairSchema },
        302: { description: 'To the `redirect_to` of the login, with the token pair (or the second-factor challenge) in the URL fragment' },
      },
      handler: async (ctx) => {
        google.assertEnabled();
        const pending = sessionOf(ctx).google;
        clearSession(ctx);
        // A browser on its way to a web app would be stranded on a JSON page; API clients get the contract's answer.
        const pageRedirect = ctx.accepts('json', 'html') === 'html' ? redirectOfLogin(pending) : null;
        let outcome;
        try {
          outcome = await google.complete(pending, new URLSearchParams(ctx.querystring));
        } catch (error) {
          if (pageRedirect && error instanceof MfaRequired) return redirect(ctx, `${pageRedirect}#${challengeFragmentOf(error.mfa)}`);
          if (pageRedirect && error instanceof AppError && error.status < 500)
            return redirect(ctx, `${pageRedirect}#${errorFragmentOf(error)}`);
          throw error;
        }
        if (!outcome.redirectTo) return sendTokenPair(ctx, outcome.pair);
        redirect(ctx, `${outcome.redirectTo}#${fragmentOf(outcome.pair)}`);
      },
    });
}

function fragmentOf(pair: TokenPair): string {
  return new URLSearchParams({
    access_token: pair.access_token,
    refresh_token: pair.refresh_token,
    token_type: pair.token_type,
    expires_in: String(pair.expires_in),
  }).toString();
}

function errorFragmentOf(error: AppError): string {
  return new URLSearchParams({ error: error.code, error_description: error.message }).toString();
}

function challengeFragmentOf(mfa: MfaChallengeView): string {
  return new URLSearchParams({
    error: 'mfa_required',
    mfa_token: mfa.mfa_token,
    mfa_factors: JSON.stringify(mfa.factors),
    mfa_expires_in: String(mfa.expires_in),
  }).toString();
}

/** A bare 302 (Koa's ctx.redirect would repeat the URL, tokens included, in the body). */
function redirect(ctx: Context, location: string): void {
  ctx.status = 302;
  ctx.set('Location', location);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = '';
}

/**
 * koa-session's bag (mp_session cookie). createApp mounts it when the service passes `session`,
 * and only under the module's `sessionPaths` (auth: /auth/google): a Google route outside them
 * would read the cookie but never write it back.
 */
function sessionOf(ctx: Context): SessionBag {
  const session = ctx.session;
  if (!session)
    throw new Error(
      'Google sign-in needs the session cookie: createApp was built without `session`, or this route is outside sessionPaths',
    );
  return session;
}

function clearSession(ctx: Context): void {
  ctx.session = null;
}
