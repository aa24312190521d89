import type { Context } from 'koa';
import type { ApiRouter } from '@merchant-platform/common/http/api-router';
import { parseOr422 } from '@merchant-platform/common/http/validate';
import type { AuthUseCases } from '../../domain/use-cases.js';
import type { TokenPair as IssuedPair } from '../../domain/token-issuer.js';
import { MFA_REQUIRED_401, type MfaRequiredError } from '../mfa-schemas.js';
import type { TokenPairView } from '../../domain/views.js';
import { Jwks, PasswordGrant, RefreshBody, TokenBody } from '../schemas.js';

/** Token responses must never be cached by a browser or proxy (RFC 6749 §5.1). */
export function sendTokenPair(ctx: Context, pair: IssuedPair): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  ctx.body = pair;
}

export function tokenRoutes(api: ApiRouter, uc: AuthUseCases, pair: typeof TokenPairView, mfaRequired: typeof MfaRequiredError): ApiRouter {
  const tags = ['sign-in'];
  return api
    .route({
      method: 'post',
      path: '/auth/token',
      aliases: ['/token'],
      summary: 'Sign in (OAuth2 password grant) or refresh',
      description:
        'Form `grant_type=password&username=&password=` or JSON `{email, password}`; also `grant_type=refresh_token&refresh_token=`. ' +
        'Wrong email and wrong password get the same 401 in about the same time. Failures are rate-limited per email+IP and per IP. ' +
        'A right password for a user with a second factor gets 401 `mfa_required` with an `mfa` challenge instead of tokens.',
      tags,
      body: TokenBody,
      form: true,
      errors: [403, 429],
      responses: { 200: { description: 'A token pair', schema: pair }, 401: { description: MFA_REQUIRED_401, schema: mfaRequired } },
      handler: async (ctx, { body }) => {
        if (body.grant_type === 'refresh_token') {
          const { refresh_token } = parseOr422(RefreshBody, body);
          return sendTokenPair(ctx, await uc.tokens.refresh(refresh_token));
        }
        const grant = parseOr422(PasswordGrant, { email: body.username ?? body.email, password: body.password });
        sendTokenPair(ctx, await uc.signIn.signIn(grant.email, grant.password, ctx.ip));
      },
    })
    .route({
      method: 'post',
      path: '/auth/refresh',
      summary: 'Exchange a refresh token for a new pair (rotation)',
      description: 'Each refresh token works once. Presenting a used one revokes every token of its login (401 `token_reused`).',
      tags,
      body: RefreshBody,
      errors: [401],
      responses: { 200: { description: 'A new token pair', schema: pair } },
      handler: async (ctx, { body }) => sendTokenPair(ctx, await uc.tokens.refresh(body.refresh_token)),
    })
    .route({
      method: 'post',
      path: '/auth/logout',
      summary: 'End the session a refresh token belongs to',
      description: 'Always 204, also for an unknown or already revoked token.',
      tags,
      body: RefreshBody,
      responses: { 204: { description: 'Signed out' } },
      handler: async (ctx, { body }) => {
        await uc.tokens.revoke(body.refresh_token);
        ctx.status = 204;
      },
    })
    .route({
      method: 'get',
      path: '/auth/.well-known/jwks.json',
      summary: 'Public keys that verify access tokens',
      tags,
      responses: { 200: { description: 'JWK Set (RS256 public keys only)', schema: Jwks } },
      handler: (ctx) => {
        ctx.set('Cache-Control', 'public, max-age=300');
        ctx.body = uc.keys.jwks();
      },
    });
}
