import { z } from 'zod';
import { EVENT_TYPES } from '@merchant-platform/common/events/catalogue';
import { PageQuery } from '@merchant-platform/common/pagination';

const Id = z.string().min(1).max(64);

/** `GET /auth/audit` filters; each maps to an indexed column. */
export const AuditQuery = PageQuery.extend({
  type: z.enum(EVENT_TYPES).optional(),
  actor_id: Id.optional(),
  subject_id: Id.optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
}).refine((query) => !query.since || !query.until || new Date(query.since) < new Date(query.until), {
  message: 'must be after `since`',
  path: ['until'],
});
