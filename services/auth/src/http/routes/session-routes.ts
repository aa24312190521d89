import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiRouter, Guard } from '@merchant-platform/common/http/api-router';
import { currentUser } from '@merchant-platform/common/http/guards';
import type { AuthUseCases } from '../../domain/use-cases.js';
import { Session, SessionIdParams } from '../session-schemas.js';

/** The caller's own sessions (one per sign-in, kept by refreshing): listing and ending them. */
export function sessionRoutes(api: ApiRouter, openapi: OpenAPIRegistry, uc: AuthUseCases, user: Guard): ApiRouter {
  const list = z.object({ items: z.array(openapi.register('Session', Session)) });
  const tags = ['account'];
  return api
    .route({
      method: 'get',
      path: '/auth/sessions',
      summary: "The caller's live sessions",
      description: 'Sessions that can still be refreshed, the most recently used first; `current` marks the one of the token that asks.',
      tags,
      guards: [user],
      responses: { 200: { description: 'Live sessions', schema: list } },
      handler: async (ctx) => {
        const claims = currentUser(ctx);
        ctx.body = { items: await uc.sessions.list(claims.sub, claims.sid) };
      },
    })
    .route({
      method: 'delete',
      path: '/auth/sessions/{id}',
      summary: 'End one of your sessions',
      description:
        'Its refresh tokens stop working at once and its access tokens within seconds in every service. ' +
        'An unknown id, an ended session and another user’s session are all 404.',
      tags,
      guards: [user],
      params: SessionIdParams,
      errors: [404],
      responses: { 204: { description: 'Ended' } },
      handler: async (ctx, { params }) => {
        await uc.sessions.revoke(currentUser(ctx).sub, params.id);
        ctx.status = 204;
      },
    });
}
