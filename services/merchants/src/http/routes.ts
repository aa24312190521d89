import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter } from '@merchant-platform/common/http/api-router';
import { currentUser, requireRole, requireUser } from '@merchant-platform/common/http/guards';
import { PageQuery } from '@merchant-platform/common/pagination';
import type { AccessTokenVerifier } from '@merchant-platform/common/tokens/access-token';
import type { MerchantAccess } from '../domain/access.js';
import type { ApiKeys } from '../domain/api-keys.js';
import type { MerchantProfiles } from '../domain/merchant-profiles.js';
import type { Invitations } from '../domain/invitations.js';
import type { Teams } from '../domain/memberships.js';
import { presentTokenUser } from '../domain/presenters.js';
import { MerchantView, PublicMerchantView, TokenUserView } from '../domain/views.js';
import { MerchantIdParams, MerchantProfileBody } from './schemas.js';
import { apiKeyRoutes } from './api-key-routes.js';
import { acceptInvitationRoute, invitationRoutes } from './invitation-routes.js';
import { eventRoutes } from './event-routes.js';
import type { MerchantEventFeed } from '../domain/merchant-event-feed.js';
import { myMerchantsRoute, teamRoutes } from './team-routes.js';
import type { Webhooks } from '../domain/webhooks/webhooks.js';
import { webhookRoutes } from './webhook-routes.js';

export function merchantRoutes(
  openapi: OpenAPIRegistry,
  uc: {
    profiles: MerchantProfiles;
    teams: Teams;
    access: MerchantAccess;
    keys: ApiKeys;
    invitations: Invitations;
    webhooks: Webhooks;
    feed: MerchantEventFeed;
  },
  verifier: AccessTokenVerifier,
): ApiRouter {
  const { profiles, teams, access, keys, invitations, webhooks } = uc;
  const user = requireUser(verifier);
  const admin = requireRole(verifier, 'admin');
  const merchant = openapi.register('Merchant', MerchantView);
  const publicMerchant = openapi.register('PublicMerchant', PublicMerchantView);
  const tokenUser = openapi.register('TokenUser', TokenUserView);
  // A union, not .nullable(): zod-to-openapi renders a nullable component as allOf [$ref, null], which no null satisfies.
  const whoAmI = z.object({ user: tokenUser, merchant: z.union([merchant, z.null()]) });
  const tags = ['merchants'];

  const own = new ApiRouter(openapi)
    .route({
      method: 'get',
      path: '/merchants/me',
      summary: "The caller's merchant profile",
      tags,
      guards: [user],
      errors: [404],
      responses: { 200: { description: 'The profile', schema: z.object({ merchant }) } },
      handler: async (ctx) => {
        ctx.body = { merchant: await profiles.getOwn(currentUser(ctx).sub) };
      },
    })
    .route({
      method: 'put',
      path: '/merchants/me',
      summary: "Create or replace the caller's merchant profile",
      description: 'Idempotent: the full profile is sent each time. Requires a verified email (403 `email_not_verified`).',
      tags,
      guards: [user],
      body: MerchantProfileBody,
      errors: [403],
      responses: {
        200: { description: 'Replaced', schema: z.object({ merchant }) },
        201: { description: 'Created', schema: z.object({ merchant }) },
      },
      handler: async (ctx, { body }) => {
        const { merchant: saved, created } = await profiles.saveOwn(currentUser(ctx), body);
        ctx.status = created ? 201 : 200;
        ctx.body = { merchant: saved };
      },
    });
  const teamsRouter = eventRoutes(
    webhookRoutes(
      invitationRoutes(
        apiKeyRoutes(
          teamRoutes(acceptInvitationRoute(myMerchantsRoute(own, user, teams, merchant), openapi, { user, invitations }), openapi, {
            user,
            access,
            teams,
            merchant,
          }),
          openapi,
          { user, access, keys },
        ),
        openapi,
        { user, access, invitations },
      ),
      openapi,
      { user, access, webhooks },
    ),
    openapi,
    { user, access, feed: uc.feed },
  );
  return teamsRouter
    .route({
      method: 'get',
      path: '/merchants/{id}',
      summary: "A merchant's public profile",
      tags,
      params: MerchantIdParams,
      errors: [404],
      responses: { 200: { description: 'Public fields only', schema: z.object({ merchant: publicMerchant }) } },
      handler: async (ctx, { params }) => {
        ctx.body = { merchant: await profiles.getPublic(params.id) };
      },
    })
    .route({
      method: 'get',
      path: '/merchants',
      summary: 'All merchants, oldest first (admin)',
      tags: ['admin'],
      guards: [admin],
      query: PageQuery,
      responses: {
        200: { description: 'A page', schema: z.object({ items: z.array(merchant), next_cursor: z.string().nullable() }) },
      },
      handler: async (ctx, { query }) => {
        ctx.body = await profiles.list(query);
      },
    })
    .route({
      method: 'get',
      path: '/users/me',
      aliases: ['/users/me/'],
      summary: 'Who the caller is (from the token) and their merchant profile',
      tags: ['users'],
      guards: [user],
      responses: { 200: { description: 'The caller', schema: whoAmI } },
      handler: async (ctx) => {
        ctx.body = await profiles.whoAmI(currentUser(ctx));
      },
    })
    .route({
      method: 'get',
      path: '/users/auth',
      summary: 'How the caller authenticated',
      tags: ['users'],
      guards: [user],
      responses: {
        200: { description: 'The sign-in method', schema: z.object({ message: z.string(), user: tokenUser }) },
      },
      handler: (ctx) => {
        const caller = currentUser(ctx);
        ctx.body = { message: `Authenticated via ${caller.auth_method}`, user: presentTokenUser(caller) };
      },
    });
}
