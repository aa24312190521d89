import type { ApiRouter, Guard } from '@merchant-platform/common/http/api-router';
import { RevocationFeedPage } from '@merchant-platform/common/tokens/revocation-feed';
import type { Revocations } from '../../domain/revocations.js';
import { RevocationFeedQuery } from '../schemas.js';

/**
 * Routes for other services only: outside `/auth` so the Ingress never routes them, kept out of
 * the public OpenAPI document, and callable only with a service credential.
 */
export function internalRoutes(api: ApiRouter, revocations: Revocations, service: Guard): ApiRouter {
  return api.route({
    method: 'get',
    path: '/internal/revocations',
    internal: true,
    summary: 'Revoked users and sessions still relevant, after a cursor (services only)',
    tags: ['internal'],
    guards: [service],
    query: RevocationFeedQuery,
    responses: { 200: { description: 'A page of the feed', schema: RevocationFeedPage } },
    handler: async (ctx, { query }) => {
      ctx.body = await revocations.fetchAfter(query.after);
    },
  });
}
