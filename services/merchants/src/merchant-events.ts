import type { Database } from '@merchant-platform/common/db/database';
import { SequelizeUnitOfWork } from '@merchant-platform/common/db/transaction-scope';
import { EventConsumer } from '@merchant-platform/common/events/consumer';
import { EventLog } from '@merchant-platform/common/events/event-log';
import { EventfulChanges } from '@merchant-platform/common/events/eventful-changes';
import { EventRecorder } from '@merchant-platform/common/events/recorder';
import type { MembershipRepository } from './domain/membership.js';
import { MerchantEventFeed } from './domain/merchant-event-feed.js';
import { userEventHandlers, type EraseUserData } from './domain/user-events.js';

/** The table prefix of merchants' event log and processed-event ids. */
export const MERCHANT_EVENTS = 'merchants';

/**
 * Merchants' events: the recorder use-cases write through (no internal consumer; the webhooks
 * fan-out registers a listener on it), the feed, and the consumer of auth's user events.
 */
export function merchantEventPipeline(db: Database, memberships: MembershipRepository, eraseUserData: EraseUserData | undefined) {
  const recorder = new EventRecorder(db.sequelize, MERCHANT_EVENTS);
  const log = new EventLog(db.sequelize, MERCHANT_EVENTS);
  const handlers = userEventHandlers({
    memberships,
    // Until the data-rights erasure (domain/user-erasure.ts) is wired here, a deleted user's memberships go.
    eraseUserData: eraseUserData ?? ((userId) => memberships.removeAllForUser(userId)),
    events: log,
  });
  return {
    recorder,
    log,
    changes: new EventfulChanges(recorder, new SequelizeUnitOfWork(db.sequelize)),
    feed: new MerchantEventFeed(log),
    consumer: new EventConsumer(db.sequelize, MERCHANT_EVENTS, handlers),
  };
}
