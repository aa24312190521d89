import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import type { ApiRouter } from '@merchant-platform/common/http/api-router';
import { currentUser } from '@merchant-platform/common/http/guards';
import type { UserGuards } from '../step-up-guard.js';
import type { AuthUseCases } from '../../domain/use-cases.js';
import { FactorView, type TokenPairView } from '../../domain/views.js';
import {
  CreationOptions,
  PasskeyAuthenticationBody,
  PasskeyChallenge,
  PasskeyOptionsBody,
  PasskeyRegistrationBody,
  RequestOptions,
} from '../passkey-schemas.js';
import { sendTokenPair } from './token-routes.js';

/** WebAuthn: adding a passkey to an account, and signing in with one (no password). */
export function passkeyRoutes(
  api: ApiRouter,
  openapi: OpenAPIRegistry,
  uc: AuthUseCases,
  guards: UserGuards,
  pair: typeof TokenPairView,
): ApiRouter {
  const factor = z.object({ factor: openapi.register('Factor', FactorView) });
  const creationOptions = openapi.register('PublicKeyCredentialCreationOptionsJSON', CreationOptions);
  const challenge = PasskeyChallenge(openapi.register('PublicKeyCredentialRequestOptionsJSON', RequestOptions));
  return api
    .route({
      method: 'post',
      path: '/auth/passkeys/registration/options',
      summary: 'Start adding a passkey: options for navigator.credentials.create()',
      description:
        'The challenge is bound to the caller and lives 5 minutes. The passkey must be discoverable and verify the user; ' +
        'the caller’s passkeys are listed in `excludeCredentials`. Needs a recent sign-in (401 `step_up_required`).',
      tags: ['account'],
      guards: [guards.recent],
      errors: [403],
      responses: { 200: { description: 'PublicKeyCredentialCreationOptionsJSON', schema: creationOptions } },
      handler: async (ctx) => {
        ctx.set('Cache-Control', 'no-store');
        ctx.body = await uc.passkeyRegistration.options(currentUser(ctx).sub);
      },
    })
    .route({
      method: 'post',
      path: '/auth/passkeys/registration',
      summary: 'Finish adding a passkey with the browser’s RegistrationResponseJSON',
      description:
        '422 `validation_failed` when the attestation does not verify: another challenge (or one issued to someone else, used or expired), ' +
        'an origin or RP id this service does not accept, or no user verification. Each challenge gets one attempt.',
      tags: ['account'],
      guards: [guards.user],
      body: PasskeyRegistrationBody,
      errors: [403],
      responses: { 201: { description: 'The new passkey', schema: factor } },
      handler: async (ctx, { body }) => {
        const created = await uc.passkeyRegistration.register(currentUser(ctx).sub, {
          name: body.name,
          // Shape-checked by the schema; the WebAuthn checks proper are the verifier's.
          response: body.response as RegistrationResponseJSON,
        });
        ctx.status = 201;
        ctx.body = { factor: created };
      },
    })
    .route({
      method: 'post',
      path: '/auth/passkeys/authentication/options',
      summary: 'Start a passkey sign-in: options for navigator.credentials.get()',
      description:
        'Without `email`, any discoverable passkey may answer (empty `allowCredentials`). With `email`, the challenge is bound to that ' +
        'account; the answer looks the same whether the account exists or not. The challenge lives 5 minutes and is answered once. ' +
        'With `mfa_token` (from 401 `mfa_required`) the challenge is bound to that sign-in’s user and is answered through ' +
        '`POST /auth/mfa/verify` as `passkey_response`; 401 `invalid_token` when that sign-in is unknown, used, expired or out of tries.',
      tags: ['sign-in'],
      body: PasskeyOptionsBody,
      errors: [401],
      responses: { 200: { description: 'A challenge id and PublicKeyCredentialRequestOptionsJSON', schema: challenge } },
      handler: async (ctx, { body }) => {
        ctx.set('Cache-Control', 'no-store');
        ctx.body =
          body.mfa_token !== undefined ? await uc.mfaSignIn.passkeyOptions(body.mfa_token) : await uc.passkeySignIn.options(body.email);
      },
    })
    .route({
      method: 'post',
      path: '/auth/passkeys/authentication',
      summary: 'Sign in with a passkey (AuthenticationResponseJSON)',
      description:
        'A token pair whose access token says `auth_method: "passkey"` and `amr: ["hwk"]`. Anything that does not verify ' +
        '(unknown passkey, bad signature, used or expired challenge, no user verification, a sign counter that went backwards) is 401 `invalid_credentials`.',
      tags: ['sign-in'],
      body: PasskeyAuthenticationBody,
      errors: [401, 403],
      responses: { 200: { description: 'A token pair', schema: pair } },
      handler: async (ctx, { body }) =>
        sendTokenPair(ctx, await uc.passkeySignIn.signIn(body.challenge_id, body.response as AuthenticationResponseJSON)),
    });
}
