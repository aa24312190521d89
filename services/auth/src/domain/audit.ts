import type { PlatformEvent } from '@merchant-platform/common/events/event';
import type { EventFilter } from '@merchant-platform/common/events/event-log';
import type { Page, PageQuery } from '@merchant-platform/common/pagination';

/** Reads auth's append-only event log (common's EventLog). */
export interface AuditReader {
  list(filter: EventFilter, page: PageQuery): Promise<Page<PlatformEvent>>;
}

/** Auth's audit log as admins and users see it. Nothing here changes an event. */
export class Audit {
  constructor(private readonly reader: AuditReader) {}

  /** Every event auth recorded, filtered (admins; the route checks the role). */
  search(filter: Omit<EventFilter, 'merchantId'>, page: PageQuery): Promise<Page<PlatformEvent>> {
    return this.reader.list(filter, page);
  }

  /** The caller's own security events: those about their account, whoever acted. */
  activity(userId: string, page: PageQuery): Promise<Page<PlatformEvent>> {
    return this.reader.list({ subjectId: userId }, page);
  }
}
