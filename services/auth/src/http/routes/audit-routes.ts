import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { PlatformEvent } from '@merchant-platform/common/events/event';
import type { ApiRouter, Guard } from '@merchant-platform/common/http/api-router';
import { currentUser } from '@merchant-platform/common/http/guards';
import { PageQuery } from '@merchant-platform/common/pagination';
import type { AuthUseCases } from '../../domain/use-cases.js';
import { AuditQuery } from '../audit-schemas.js';
import { actingAdmin } from './admin-routes.js';

/** The audit log (admins) and a user's own security activity. */
export function auditRoutes(api: ApiRouter, openapi: OpenAPIRegistry, uc: AuthUseCases, user: Guard): ApiRouter {
  const event = openapi.register('Event', PlatformEvent);
  const page = z.object({ items: z.array(event), next_cursor: z.string().nullable() });
  return api
    .route({
      method: 'get',
      path: '/auth/audit',
      summary: "Auth's audit log, oldest first (admin)",
      description:
        'Every event auth recorded, filtered by type, actor, subject and a `[since, until)` time range, in pages. ' +
        'Events are append-only; a deleted user’s personal data in them reads `null`.',
      tags: ['admin'],
      guards: [actingAdmin(user, uc.admin, uc.adminMfa)],
      query: AuditQuery,
      responses: { 200: { description: 'A page of events', schema: page } },
      handler: async (ctx, { query }) => {
        ctx.body = await uc.audit.search(
          {
            type: query.type,
            actorId: query.actor_id,
            subjectId: query.subject_id,
            since: query.since ? new Date(query.since) : undefined,
            until: query.until ? new Date(query.until) : undefined,
          },
          query,
        );
      },
    })
    .route({
      method: 'get',
      path: '/auth/me/activity',
      summary: 'Your own security events, oldest first',
      description: 'Sign-ins, failed sign-ins, password, email and factor changes, revoked sessions: the events about your account.',
      tags: ['account'],
      guards: [user],
      query: PageQuery,
      responses: { 200: { description: 'A page of events', schema: page } },
      handler: async (ctx, { query }) => {
        ctx.body = await uc.audit.activity(currentUser(ctx).sub, query);
      },
    });
}
