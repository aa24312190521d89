import { z } from 'zod';
import type { ApiRouter, Guard } from '@merchant-platform/common/http/api-router';
import type { UserDataExport } from '../domain/user-data-export.js';
import type { UserDepartures } from '../domain/user-departure.js';
import { MembershipView, MerchantView } from '../domain/views.js';

const UserParams = z.object({ user_id: z.string().min(1).max(64) });
export const UserMerchantsExportView = z.object({ memberships: z.array(MembershipView), merchants: z.array(MerchantView) });

/**
 * Auth's calls for a user's data rights (export, account deletion). Under `/internal/`, so the
 * Ingress never routes them and they stay out of the public OpenAPI document; service credential only.
 */
export function userDataRoutes(api: ApiRouter, uc: { exports: UserDataExport; departures: UserDepartures }, service: Guard): ApiRouter {
  const tags = ['internal'];
  return api
    .route({
      method: 'get',
      path: '/internal/users/{user_id}/export',
      summary: "A user's memberships and the profiles of their merchants (services only)",
      tags,
      guards: [service],
      params: UserParams,
      responses: { 200: { description: "The user's data held here", schema: UserMerchantsExportView } },
      handler: async (ctx, { params }) => {
        ctx.body = await uc.exports.export(params.user_id);
      },
    })
    .route({
      method: 'post',
      path: '/internal/users/{user_id}/departure',
      summary: 'Admit an account deletion: refused while the user is the last owner of a merchant with other members',
      description:
        'From here on the user no longer counts as an owner (a co-owner deleting at the same time is refused); the ' +
        '`user.deleted` event then erases them. `details` names the merchants that block the deletion.',
      tags,
      guards: [service],
      params: UserParams,
      errors: [409],
      responses: { 204: { description: 'Admitted' } },
      handler: async (ctx, { params }) => {
        await uc.departures.admit(params.user_id);
        ctx.status = 204;
      },
    })
    .route({
      method: 'delete',
      path: '/internal/users/{user_id}/departure',
      summary: 'Withdraw an admitted deletion that auth could not complete (services only)',
      tags,
      guards: [service],
      params: UserParams,
      responses: { 204: { description: 'Withdrawn (or there was none)' } },
      handler: async (ctx, { params }) => {
        await uc.departures.cancel(params.user_id);
        ctx.status = 204;
      },
    });
}
