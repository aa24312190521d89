import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiRouter, Guard } from '@merchant-platform/common/http/api-router';
import type { MerchantAccess } from '../domain/access.js';
import type { ApiKeys } from '../domain/api-keys.js';
import { ApiKeyView } from '../domain/views.js';
import { API_KEY_SCHEME, currentPrincipal, memberOf, recent } from './access-guard.js';
import { ApiKeyParams, MerchantIdParams, NewApiKeyBody, RollApiKeyBody } from './schemas.js';

const tags = ['merchants'];

/** A merchant's API keys (members only: a key cannot manage keys). */
export function apiKeyRoutes(
  router: ApiRouter,
  openapi: OpenAPIRegistry,
  deps: { user: Guard; access: MerchantAccess; keys: ApiKeys },
): ApiRouter {
  const { user, access, keys } = deps;
  openapi.registerComponent('securitySchemes', API_KEY_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'mpk_…',
    description: 'A merchant API key (`Authorization: Bearer mpk_…`), on the routes its scopes allow, for its own merchant only.',
  });
  const apiKey = openapi.register('ApiKey', ApiKeyView);
  const issued = z.object({ api_key: apiKey, secret: z.string().describe('`mpk_…`, shown only in this answer') });
  const fresh = recent(access);

  return router
    .route({
      method: 'post',
      path: '/merchants/{id}/api-keys',
      summary: 'Create an API key (owner, admin), recent',
      description: 'The secret is in this answer only; it is stored as a hash. Unknown scopes get 422.',
      tags,
      guards: [memberOf(user, access, 'api_keys:manage'), fresh],
      params: MerchantIdParams,
      body: NewApiKeyBody,
      responses: { 201: { description: 'Created', schema: issued } },
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        ctx.body = await keys.create(currentPrincipal(ctx), body);
      },
    })
    .route({
      method: 'get',
      path: '/merchants/{id}/api-keys',
      summary: 'A merchant’s API keys (owner, admin, developer)',
      description: 'Oldest first, revoked and rolled ones included. A rolled key’s `revoked_at` is the end of its grace.',
      tags,
      guards: [memberOf(user, access, 'api_keys:read')],
      params: MerchantIdParams,
      responses: { 200: { description: 'The keys', schema: z.object({ items: z.array(apiKey) }) } },
      handler: async (ctx) => {
        ctx.body = { items: await keys.list(currentPrincipal(ctx).merchantId) };
      },
    })
    .route({
      method: 'post',
      path: '/merchants/{id}/api-keys/{key_id}/roll',
      summary: 'Roll an API key: a successor with a new secret (owner, admin), recent',
      description:
        'The successor keeps the name, scopes and expiry. The old secret works `grace_seconds` longer (0 by default, at most 86400). ' +
        'A key already rolled or revoked gets 409 `conflict`: of concurrent rolls of one key, one wins.',
      tags,
      guards: [memberOf(user, access, 'api_keys:manage'), fresh],
      params: ApiKeyParams,
      body: RollApiKeyBody,
      errors: [404, 409],
      responses: { 201: { description: 'The successor', schema: issued } },
      handler: async (ctx, { params, body }) => {
        ctx.status = 201;
        ctx.body = await keys.roll(currentPrincipal(ctx), params.key_id, body.grace_seconds);
      },
    })
    .route({
      method: 'delete',
      path: '/merchants/{id}/api-keys/{key_id}',
      summary: 'Revoke an API key (owner, admin)',
      description: 'The key, and any older secret of it still in a roll’s grace, fail at once. Revoking again is no error.',
      tags,
      guards: [memberOf(user, access, 'api_keys:manage')],
      params: ApiKeyParams,
      errors: [404],
      responses: { 204: { description: 'Revoked' } },
      handler: async (ctx, { params }) => {
        await keys.revoke(currentPrincipal(ctx), params.key_id);
        ctx.status = 204;
      },
    });
}
