import type { Database } from '@merchant-platform/common/db/database';
import { SequelizeUnitOfWork } from '@merchant-platform/common/db/transaction-scope';
import { EventConsumer } from '@merchant-platform/common/events/consumer';
import { EventLog } from '@merchant-platform/common/events/event-log';
import { EventfulChanges } from '@merchant-platform/common/events/eventful-changes';
import { EventRecorder } from '@merchant-platform/common/events/recorder';
import { LATEST_COMMITTED } from './data/departure-model.js';
import type { MembershipRepository } from './domain/membership.js';
import { MerchantEventFeed } from './domain/merchant-event-feed.js';
import { userEventHandlers, type EraseUserData } from './domain/user-events.js';

/** The table prefix of merchants' event log and processed-event ids. */
export const MERCHANT_EVENTS = 'merchants';

/**
 * Merchants' events: the recorder use-cases write through (no internal consumer; the webhooks
 * fan-out registers a listener on it), the feed, and the consumer of auth's user events.
 */
export function merchantEventPipeline(db: Database, memberships: MembershipRepository, eraseUserData: EraseUserData) {
  const recorder = new EventRecorder(db.sequelize, MERCHANT_EVENTS);
  const log = new EventLog(db.sequelize, MERCHANT_EVENTS);
  const handlers = userEventHandlers({
    memberships,
    eraseUserData,
    events: log,
  });
  return {
    recorder,
    log,
    // Read committed, as the team rules' locked reads need: a departure committed while we waited is seen.
    changes: new EventfulChanges(recorder, new SequelizeUnitOfWork(db.sequelize, LATEST_COMMITTED)),
    feed: new MerchantEventFeed(log),
    consumer: new EventConsumer(db.sequelize, MERCHANT_EVENTS, handlers),
  };
}
