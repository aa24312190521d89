import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiRouter, Guard } from '@merchant-platform/common/http/api-router';
import { currentUser } from '@merchant-platform/common/http/guards';
import type { MerchantAccess } from '../domain/access.js';
import type { Teams } from '../domain/memberships.js';
import { ROLES } from '../domain/roles.js';
import { MembershipView, MerchantSettingsView, type MerchantView } from '../domain/views.js';
import { currentMember, currentPrincipal, memberOf, recent } from './access-guard.js';
import { MemberParams, MemberRoleBody, MerchantIdParams, MerchantProfileBody, MerchantSettingsBody } from './schemas.js';

const tags = ['merchants'];

/** `GET /merchants/mine`: registered before `/merchants/{id}`, which would otherwise take `mine` for an id. */
export function myMerchantsRoute(router: ApiRouter, user: Guard, teams: Teams, merchant: z.ZodType<MerchantView>): ApiRouter {
  return router.route({
    method: 'get',
    path: '/merchants/mine',
    summary: 'The merchants the caller belongs to, with their role in each',
    tags,
    guards: [user],
    responses: {
      200: { description: 'Oldest membership first', schema: z.object({ items: z.array(z.object({ merchant, role: z.enum(ROLES) })) }) },
    },
    handler: async (ctx) => {
      ctx.body = await teams.mine(currentUser(ctx).sub);
    },
  });
}

/** A merchant's team routes; each names the action it needs once (domain/roles.ts decides who has it). */
export function teamRoutes(
  router: ApiRouter,
  openapi: OpenAPIRegistry,
  deps: { user: Guard; access: MerchantAccess; teams: Teams; merchant: z.ZodType<MerchantView> },
): ApiRouter {
  const { user, access, teams, merchant } = deps;
  const membership = openapi.register('Membership', MembershipView);
  const settings = openapi.register('MerchantSettings', MerchantSettingsView);
  const profile = z.object({ merchant });
  const fresh = recent(access);
  const mfaNote = 'With the merchant’s `require_mfa` on, a token without `mfa` or `hwk` in `amr` gets 403 `mfa_enrollment_required`.';

  return router
    .route({
      method: 'get',
      path: '/merchants/{id}/profile',
      summary: 'A merchant’s full profile (members)',
      description: `404 for non-members. ${mfaNote}`,
      tags,
      guards: [memberOf(user, access, 'merchant:read')],
      params: MerchantIdParams,
      responses: { 200: { description: 'The profile', schema: profile } },
      handler: async (ctx) => {
        ctx.body = { merchant: await teams.profile(currentPrincipal(ctx)) };
      },
    })
    .route({
      method: 'put',
      path: '/merchants/{id}/profile',
      summary: 'Replace a merchant’s profile (owner, admin)',
      description: `The body is as for \`PUT /merchants/me\`. ${mfaNote}`,
      tags,
      guards: [memberOf(user, access, 'merchant:write')],
      params: MerchantIdParams,
      body: MerchantProfileBody,
      responses: { 200: { description: 'Replaced', schema: profile } },
      handler: async (ctx, { body }) => {
        ctx.body = { merchant: await teams.updateProfile(currentPrincipal(ctx), body) };
      },
    })
    .route({
      method: 'get',
      path: '/merchants/{id}/members',
      summary: 'A merchant’s members (members)',
      description: `Oldest first. ${mfaNote}`,
      tags,
      guards: [memberOf(user, access, 'members:read')],
      params: MerchantIdParams,
      responses: { 200: { description: 'The members', schema: z.object({ items: z.array(membership) }) } },
      handler: async (ctx) => {
        ctx.body = { items: await teams.members(currentPrincipal(ctx)) };
      },
    })
    .route({
      method: 'patch',
      path: '/merchants/{id}/members/{user_id}',
      summary: 'Change a member’s role (owner; admin for developers and viewers), recent',
      description: `409 \`sole_owner\` if it would leave the merchant without an owner. Needs a recent sign-in (401 \`step_up_required\`). ${mfaNote}`,
      tags,
      guards: [memberOf(user, access, 'members:manage'), fresh],
      params: MemberParams,
      body: MemberRoleBody,
      errors: [409],
      responses: { 200: { description: 'The changed membership', schema: z.object({ membership }) } },
      handler: async (ctx, { params, body }) => {
        ctx.body = { membership: await teams.changeRole(currentMember(ctx), params.user_id, body.role) };
      },
    })
    .route({
      method: 'delete',
      path: '/merchants/{id}/members/{user_id}',
      summary: 'Remove a member (owner; admin for developers and viewers), or leave (the member itself)',
      description: `409 \`sole_owner\` for the last owner. ${mfaNote}`,
      tags,
      // Any member may reach the rule: leaving needs no permission; removing others needs `members:manage`.
      guards: [memberOf(user, access, 'members:read')],
      params: MemberParams,
      errors: [409],
      responses: { 204: { description: 'Removed' } },
      handler: async (ctx, { params }) => {
        await teams.remove(currentMember(ctx), params.user_id);
        ctx.status = 204;
      },
    })
    .route({
      method: 'patch',
      path: '/merchants/{id}/settings',
      summary: 'Change a merchant’s settings (owner), recent',
      description: `\`require_mfa\`: members must sign in with a second factor to use this merchant’s routes. ${mfaNote}`,
      tags,
      guards: [memberOf(user, access, 'settings:manage'), fresh],
      params: MerchantIdParams,
      body: MerchantSettingsBody,
      responses: { 200: { description: 'The settings', schema: z.object({ settings }) } },
      handler: async (ctx, { body }) => {
        ctx.body = { settings: await teams.setRequireMfa(currentPrincipal(ctx), body.require_mfa) };
      },
    });
}
