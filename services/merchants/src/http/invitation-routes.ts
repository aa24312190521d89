import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiRouter, Guard } from '@merchant-platform/common/http/api-router';
import { currentUser } from '@merchant-platform/common/http/guards';
import type { MerchantAccess } from '../domain/access.js';
import type { Invitations } from '../domain/invitations.js';
import { InvitationView, MembershipView } from '../domain/views.js';
import { currentMember, currentPrincipal, memberOf, recent } from './access-guard.js';
import { AcceptInvitationBody, InvitationParams, MerchantIdParams, NewInvitationBody } from './schemas.js';

const tags = ['merchants'];

/**
 * `POST /merchants/invitations/accept`: registered before `/merchants/{id}/...`, since no merchant
 * guard applies (the caller is not a member yet).
 */
export function acceptInvitationRoute(
  router: ApiRouter,
  openapi: OpenAPIRegistry,
  deps: { user: Guard; invitations: Invitations },
): ApiRouter {
  const membership = openapi.register('Membership', MembershipView);
  return router.route({
    method: 'post',
    path: '/merchants/invitations/accept',
    summary: 'Accept an invitation with its token: the caller joins the merchant',
    description:
      'The caller’s verified email must be the invited address (403 `email_not_verified`, 403 `forbidden`). ' +
      'Unknown, used, expired and revoked tokens all get 404. A token works once: of concurrent accepts, one joins.',
    tags,
    guards: [deps.user],
    body: AcceptInvitationBody,
    errors: [403, 404, 409],
    responses: { 200: { description: 'The new membership', schema: z.object({ membership }) } },
    handler: async (ctx, { body }) => {
      ctx.body = { membership: await deps.invitations.accept(currentUser(ctx), body.token) };
    },
  });
}

/** A merchant's invitations (owners and admins; who may invite which role is domain/roles.ts's table). */
export function invitationRoutes(
  router: ApiRouter,
  openapi: OpenAPIRegistry,
  deps: { user: Guard; access: MerchantAccess; invitations: Invitations },
): ApiRouter {
  const { user, access, invitations } = deps;
  const invitation = openapi.register('Invitation', InvitationView);
  const manage = memberOf(user, access, 'invitations:manage');

  return router
    .route({
      method: 'post',
      path: '/merchants/{id}/invitations',
      summary: 'Invite someone by email (owner; admin for developers and viewers), recent',
      description:
        'The address is e-mailed a single-use token, valid 7 days, and a link to accept it. 409 `conflict` when the address ' +
        'is already a member or already has a pending invitation; 429 when the merchant sends too many invitations.',
      tags,
      guards: [manage, recent(access)],
      params: MerchantIdParams,
      body: NewInvitationBody,
      errors: [409, 429, 503],
      responses: { 201: { description: 'Invited', schema: z.object({ invitation }) } },
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        ctx.body = { invitation: await invitations.invite(currentMember(ctx), body) };
      },
    })
    .route({
      method: 'get',
      path: '/merchants/{id}/invitations',
      summary: 'A merchant’s invitations (owner, admin)',
      description: 'Oldest first, whatever their status.',
      tags,
      guards: [manage],
      params: MerchantIdParams,
      responses: { 200: { description: 'The invitations', schema: z.object({ items: z.array(invitation) }) } },
      handler: async (ctx) => {
        ctx.body = { items: await invitations.list(currentPrincipal(ctx)) };
      },
    })
    .route({
      method: 'delete',
      path: '/merchants/{id}/invitations/{invitation_id}',
      summary: 'Revoke an invitation (owner, admin)',
      description: 'Its token stops working at once. Revoking again is no error; another merchant’s invitation is 404.',
      tags,
      guards: [manage],
      params: InvitationParams,
      errors: [404],
      responses: { 204: { description: 'Revoked' } },
      handler: async (ctx, { params }) => {
        await invitations.revoke(currentPrincipal(ctx), params.invitation_id);
        ctx.status = 204;
      },
    });
}
