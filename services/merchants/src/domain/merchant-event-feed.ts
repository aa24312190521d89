import type { EventType } from '@merchant-platform/common/events/catalogue';
import type { PlatformEvent } from '@merchant-platform/common/events/event';
import type { EventFilter } from '@merchant-platform/common/events/event-log';
import type { Page, PageQuery } from '@merchant-platform/common/pagination';
import type { Principal } from './principal.js';

/** Reads merchants' append-only event log (common's EventLog). */
export interface EventReader {
  list(filter: EventFilter, page: PageQuery): Promise<Page<PlatformEvent>>;
}

/** A merchant's own events, oldest first; the route's guard decides who may read them. */
export class MerchantEventFeed {
  constructor(private readonly reader: EventReader) {}

  list(principal: Principal, type: EventType | undefined, page: PageQuery): Promise<Page<PlatformEvent>> {
    return this.reader.list({ merchantId: principal.merchantId, type }, page);
  }
}
