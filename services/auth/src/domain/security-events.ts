import type { EventType } from '@merchant-platform/common/events/catalogue';
import type { NewEvent } from '@merchant-platform/common/events/event';
import type { EventfulChanges } from '@merchant-platform/common/events/eventful-changes';

/** Every event auth records is about a user; the actor is that user unless someone else acted (an admin). */
export type UserEvent<T extends EventType = EventType> = Pick<NewEvent<T>, 'type' | 'data' | 'delivery'> & {
  userId: string;
  /** Who acted: the user themself by default; `null` for an anonymous caller (a failed sign-in). */
  actorId?: string | null;
};

/** Auth's events about users, recorded with the change they describe (see EventfulChanges). */
export class SecurityEvents {
  constructor(private readonly changes: EventfulChanges) {}

  record<T extends EventType>(event: UserEvent<T>): Promise<void> {
    return this.changes.record(toNewEvent(event));
  }

  withChange<R, T extends EventType>(change: () => Promise<R>, event: (result: R) => UserEvent<T> | undefined | null | false): Promise<R> {
    return this.changes.withChange(change, (result) => {
      const announced = event(result);
      return announced && toNewEvent(announced);
    });
  }
}

function toNewEvent<T extends EventType>(event: UserEvent<T>): NewEvent<T> {
  const actorId = event.actorId === undefined ? event.userId : event.actorId;
  return {
    type: event.type,
    actor: { type: 'user', id: actorId },
    subject: { type: 'user', id: event.userId },
    data: event.data,
    ...(event.delivery ? { delivery: event.delivery } : {}),
  };
}
