import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiRouter } from '@merchant-platform/common/http/api-router';
import { currentUser } from '@merchant-platform/common/http/guards';
import type { UserGuards } from '../step-up-guard.js';
import type { AuthUseCases } from '../../domain/use-cases.js';
import {
  FactorIdParams,
  FactorParams,
  MfaVerifyBody,
  RecoveryCodeSet,
  TotpConfirmBody,
  TotpConfirmation,
  TotpEnrolment,
  TotpEnrolmentBody,
} from '../mfa-schemas.js';
import { FactorView, type TokenPairView } from '../../domain/views.js';
import { sendTokenPair } from './token-routes.js';

/** Second factors: authenticator apps (TOTP), the factor list, recovery codes and the sign-in's second step. */
export function mfaRoutes(
  api: ApiRouter,
  openapi: OpenAPIRegistry,
  uc: AuthUseCases,
  guards: UserGuards,
  pair: typeof TokenPairView,
): ApiRouter {
  const { user } = guards;
  const factor = openapi.register('Factor', FactorView);
  const tags = ['account'];
  return api
    .route({
      method: 'post',
      path: '/auth/mfa/totp',
      summary: 'Start adding an authenticator app (TOTP)',
      description:
        'A new secret, as base32, an `otpauth://` URI and that URI as an SVG QR code. The factor counts only once confirmed with a ' +
        'first code; an earlier unconfirmed one of the caller is dropped. RFC 6238: SHA-1, 6 digits, 30 s.',
      tags,
      guards: [guards.recent],
      body: TotpEnrolmentBody,
      errors: [404],
      responses: { 201: { description: 'The unconfirmed factor and its secret (shown once)', schema: TotpEnrolment } },
      handler: async (ctx, { body }) => {
        ctx.set('Cache-Control', 'no-store');
        ctx.status = 201;
        ctx.body = await uc.totp.begin(currentUser(ctx).sub, body.name);
      },
    })
    .route({
      method: 'post',
      path: '/auth/mfa/totp/{factor_id}/confirm',
      summary: 'Confirm an authenticator app with its first code',
      description:
        'With the user’s first factor come ten single-use recovery codes, shown only in this answer. 422 `invalid_mfa_code` for a ' +
        'wrong or already used code; 404 for a factor that is not the caller’s; 409 `conflict` when it is already confirmed.',
      tags,
      guards: [user],
      params: FactorIdParams,
      body: TotpConfirmBody,
      errors: [404, 409],
      responses: { 200: { description: 'The confirmed factor', schema: TotpConfirmation(factor) } },
      handler: async (ctx, { params, body }) => {
        ctx.set('Cache-Control', 'no-store');
        ctx.body = await uc.totp.confirm(currentUser(ctx).sub, params.factor_id, body.code);
      },
    })
    .route({
      method: 'get',
      path: '/auth/mfa/factors',
      summary: 'The caller’s second factors (authenticator apps and passkeys)',
      tags,
      guards: [user],
      responses: { 200: { description: 'Oldest first', schema: z.object({ items: z.array(factor) }) } },
      handler: async (ctx) => {
        ctx.body = { items: await uc.secondFactors.list(currentUser(ctx).sub) };
      },
    })
    .route({
      method: 'delete',
      path: '/auth/mfa/factors/{id}',
      summary: 'Remove one of the caller’s factors',
      description: '404 for an id that is not one of the caller’s factors.',
      tags,
      guards: [guards.recent],
      params: FactorParams,
      errors: [404],
      responses: { 204: { description: 'Removed' } },
      handler: async (ctx, { params }) => {
        await uc.secondFactors.remove(currentUser(ctx).sub, params.id);
        ctx.status = 204;
      },
    })
    .route({
      method: 'post',
      path: '/auth/mfa/recovery-codes',
      summary: 'Replace the caller’s recovery codes',
      description: 'Ten new single-use codes, shown only in this answer; the previous set stops working. 409 `conflict` without a factor.',
      tags,
      guards: [guards.recent],
      errors: [409],
      responses: { 200: { description: 'The new set', schema: RecoveryCodeSet } },
      handler: async (ctx) => {
        ctx.set('Cache-Control', 'no-store');
        ctx.body = { recovery_codes: await uc.secondFactors.renewRecoveryCodes(currentUser(ctx).sub) };
      },
    })
    .route({
      method: 'post',
      path: '/auth/mfa/verify',
      summary: 'Finish a sign-in that answered 401 mfa_required',
      description:
        '`{mfa_token, code}` with a TOTP code or a recovery code, or `{mfa_token, passkey_response}` answering options asked from ' +
        '`POST /auth/passkeys/authentication/options` with this `mfa_token`. A token pair whose `amr` is `["pwd"|"fed", "otp"|"hwk", "mfa"]`. ' +
        '422 `invalid_mfa_code` for a wrong code or a passkey response that does not verify; each counts as one of the challenge’s five ' +
        'tries. 401 `invalid_token` for an unknown, used or expired `mfa_token`, or one out of tries. 429 when the user has made too many wrong tries.',
      tags: ['sign-in'],
      body: MfaVerifyBody,
      errors: [401, 403, 429],
      responses: { 200: { description: 'A token pair', schema: pair } },
      handler: async (ctx, { body }) => {
        const proof =
          body.code !== undefined ? { code: body.code } : { passkeyResponse: body.passkey_response as AuthenticationResponseJSON };
        sendTokenPair(ctx, await uc.mfaSignIn.verify(body.mfa_token, proof));
      },
    });
}
