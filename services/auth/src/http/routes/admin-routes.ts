import { z } from 'zod';
import type { Middleware } from 'koa';
import type { ApiRouter, Guard } from '@merchant-platform/common/http/api-router';
import { currentUser } from '@merchant-platform/common/http/guards';
import { PageQuery } from '@merchant-platform/common/pagination';
import type { AdminMfa } from '../../domain/admin-mfa.js';
import type { AdminUsers } from '../../domain/admin-users.js';
import type { AuthUseCases } from '../../domain/use-cases.js';
import { recent } from '../step-up-guard.js';
import type { UserView } from '../../domain/views.js';
import { AdminPatchBody, UserIdParams } from '../schemas.js';

/**
 * A valid access token whose user is, in the database right now, an enabled admin, and, with
 * ADMIN_MFA_REQUIRED, whose sign-in proved a second factor.
 */
export function actingAdmin(user: Guard, admins: AdminUsers, adminMfa: AdminMfa): Guard {
  const middleware: Middleware = (ctx, next) =>
    user.middleware(ctx, async () => {
      const claims = currentUser(ctx);
      await admins.authorize(claims.sub);
      adminMfa.assertStrongSignIn(claims.amr);
      await next();
    });
  return { middleware, scheme: user.scheme, errors: [401, 403] };
}

export function adminRoutes(api: ApiRouter, uc: AuthUseCases, user: Guard, userSchema: typeof UserView): ApiRouter {
  const tags = ['admin'];
  const admin = actingAdmin(user, uc.admin, uc.adminMfa);
  return api
    .route({
      method: 'get',
      path: '/auth/users',
      summary: 'All users, oldest first (admin)',
      tags,
      guards: [admin],
      query: PageQuery,
      responses: {
        200: { description: 'A page', schema: z.object({ items: z.array(userSchema), next_cursor: z.string().nullable() }) },
      },
      handler: async (ctx, { query }) => {
        ctx.body = await uc.admin.list(query);
      },
    })
    .route({
      method: 'patch',
      path: '/auth/users/{id}',
      summary: 'Disable a user or set their roles (admin)',
      description:
        'Disabling a user or changing their roles revokes their refresh tokens and, within seconds in every service, their access tokens. ' +
        'Nobody can change their own `disabled` or `roles` (403 `forbidden`).',
      tags,
      guards: [admin],
      params: UserIdParams,
      body: AdminPatchBody,
      errors: [404],
      responses: { 200: { description: 'The updated user', schema: z.object({ user: userSchema }) } },
      handler: async (ctx, { params, body }) => {
        ctx.body = { user: await uc.admin.update(currentUser(ctx).sub, params.id, body) };
      },
    })
    .route({
      method: 'delete',
      path: '/auth/users/{id}/mfa',
      summary: 'Remove every second factor of a user (admin)',
      description:
        'For a user who lost their factors: their authenticator apps, passkeys and recovery codes are removed and all their sessions ' +
        'end (refresh tokens now, access tokens within seconds in every service). 404 for an unknown user.',
      tags,
      guards: [recent(admin, uc.stepUp)],
      params: UserIdParams,
      errors: [404],
      responses: { 204: { description: 'Reset' } },
      handler: async (ctx, { params }) => {
        await uc.adminMfa.reset(currentUser(ctx).sub, params.id);
        ctx.status = 204;
      },
    });
}
