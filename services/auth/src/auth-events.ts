import type { Database } from '@merchant-platform/common/db/database';
import type { EventType } from '@merchant-platform/common/events/catalogue';
import { EventLog } from '@merchant-platform/common/events/event-log';
import { EventfulChanges } from '@merchant-platform/common/events/eventful-changes';
import { EventRecorder, type EventRoutes } from '@merchant-platform/common/events/recorder';
import { EventRelay } from '@merchant-platform/common/events/relay';
import type { EventTransport } from '@merchant-platform/common/events/transport';
import type { Logger } from '@merchant-platform/common/logger';
import { PageQuery } from '@merchant-platform/common/pagination';
import { SequelizeUnitOfWork } from './data/transactions.js';
import { SecurityEvents } from './domain/security-events.js';

/** The table prefix of auth's event log and outbox. */
export const AUTH_EVENTS = 'auth';

/**
 * The other services that act on auth's events (the only internal flows events add): merchants
 * refresh or remove memberships, email erases a deleted user's mail.
 */
export const AUTH_EVENT_CONSUMERS: Partial<Record<EventType, string[]>> = {
  'user.disabled': ['merchants'],
  'user.email_changed': ['merchants'],
  'user.profile_updated': ['merchants'],
  'user.deleted': ['merchants', 'email'],
};

/** How auth reaches the consumers: over HTTP, or in-process in all-in-one mode; `consumers` are the ones it can reach. */
export interface AuthEventDelivery {
  transport: EventTransport;
  consumers: string[];
}

/** Keeps only the consumers this deployment can reach: with none, events are only recorded in the audit log. */
export function reachableRoutes(consumers: string[]): EventRoutes {
  return Object.fromEntries(
    Object.entries(AUTH_EVENT_CONSUMERS)
      .map(([type, wanted]) => [type, wanted.filter((name) => consumers.includes(name))] as const)
      .filter(([, wanted]) => wanted.length > 0),
  );
}

/** Auth's event pipeline: the recorder use-cases write through, the audit log, and the relay (when there is anyone to deliver to). */
export function authEventPipeline(db: Database, logger: Logger, delivery: AuthEventDelivery | undefined) {
  const recorder = new EventRecorder(db.sequelize, AUTH_EVENTS, reachableRoutes(delivery?.consumers ?? []));
  const relay = delivery ? new EventRelay(db, AUTH_EVENTS, delivery.transport, logger.child({ component: 'event-relay' })) : undefined;
  if (relay) recorder.onDeliveriesCommitted(() => relay.wake());
  return {
    recorder,
    relay,
    log: new EventLog(db.sequelize, AUTH_EVENTS),
    security: new SecurityEvents(new EventfulChanges(recorder, new SequelizeUnitOfWork(db.sequelize))),
  };
}

/** Every event about the user, oldest pages last, for their data export (page by page: the log never loads at once). */
export async function securityEventsOf(log: EventLog, userId: string): Promise<Record<string, unknown>[]> {
  const events: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const page = await log.list({ subjectId: userId }, PageQuery.parse({ limit: 100, cursor: cursor ?? undefined }));
    events.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return events;
}
