import { z } from 'zod';
import type { ApiRouter, Guard } from '@merchant-platform/common/http/api-router';
import { currentUser } from '@merchant-platform/common/http/guards';
import { PageQuery } from '@merchant-platform/common/pagination';
import type { AuthUseCases } from '../../domain/use-cases.js';
import { AdminPatchBody, UserIdParams, type User } from '../schemas.js';

export function adminRoutes(api: ApiRouter, uc: AuthUseCases, admin: Guard, userSchema: typeof User): ApiRouter {
  const tags = ['admin'];
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
      summary: "Disable a user or set their roles (admin)",
      description: 'Disabling revokes the user’s refresh tokens. Admins cannot disable themselves or drop their own admin role (409).',
      tags,
      guards: [admin],
      params: UserIdParams,
      body: AdminPatchBody,
      errors: [404, 409],
      responses: { 200: { description: 'The updated user', schema: z.object({ user: userSchema }) } },
      handler: async (ctx, { params, body }) => {
        ctx.body = { user: await uc.admin.update(currentUser(ctx).sub, params.id, body) };
      },
    });
}
