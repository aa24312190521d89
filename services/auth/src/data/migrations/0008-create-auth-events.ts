import { createEventLogMigration } from '@merchant-platform/common/events/event-table-migrations';

/** Auth's audit log (`auth_events`) and the outbox delivering its events to merchants and email. */
export const createAuthEvents = createEventLogMigration('0008-create-auth-events', 'auth');
