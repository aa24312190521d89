import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { EVENT_TYPES } from '@merchant-platform/common/events/catalogue';
import { PlatformEvent } from '@merchant-platform/common/events/event';
import type { ApiRouter, Guard } from '@merchant-platform/common/http/api-router';
import { PageQuery } from '@merchant-platform/common/pagination';
import type { MerchantAccess } from '../domain/access.js';
import type { MerchantEventFeed } from '../domain/merchant-event-feed.js';
import { currentPrincipal, memberOf } from './access-guard.js';
import { MerchantIdParams } from './schemas.js';

const EventsQuery = PageQuery.extend({ type: z.enum(EVENT_TYPES).optional() });

/** `GET /merchants/{id}/events`: what happened to the merchant, for its owners and admins or a key with `events:read`. */
export function eventRoutes(
  router: ApiRouter,
  openapi: OpenAPIRegistry,
  deps: { user: Guard; access: MerchantAccess; feed: MerchantEventFeed },
): ApiRouter {
  const event = openapi.register('Event', PlatformEvent);
  return router.route({
    method: 'get',
    path: '/merchants/{id}/events',
    summary: "The merchant's events, oldest first",
    description:
      'Profile, member and API-key changes, filtered by `type`, in pages. Events are append-only; a deleted user’s ' +
      'personal data in them reads `null`.',
    tags: ['merchants'],
    guards: [memberOf(deps.user, deps.access, 'events:read')],
    params: MerchantIdParams,
    query: EventsQuery,
    responses: {
      200: { description: 'A page of events', schema: z.object({ items: z.array(event), next_cursor: z.string().nullable() }) },
    },
    handler: async (ctx, { query }) => {
      ctx.body = await deps.feed.list(currentPrincipal(ctx), query.type, query);
    },
  });
}
