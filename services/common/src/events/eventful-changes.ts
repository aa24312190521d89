import type { EventType } from './catalogue.js';
import type { EventSink, NewEvent } from './event.js';

/** Writes that commit together or not at all (a database transaction), as the domain sees it. */
export interface UnitOfWork {
  run<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Use-cases record events here, in the unit of work that makes the change they describe: inside
 * a running one they join it; `withChange` runs a change and its event as one. An event that
 * describes no stored change (a failed sign-in) gets a transaction of its own.
 */
export class EventfulChanges {
  constructor(
    private readonly sink: EventSink,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  record<T extends EventType>(event: NewEvent<T>): Promise<void> {
    return this.unitOfWork.run(() => this.sink.record(event));
  }

  /** The change and the event announcing it commit together; `change`'s writes must join the unit of work. */
  withChange<R, T extends EventType>(change: () => Promise<R>, event: (result: R) => NewEvent<T> | undefined | null | false): Promise<R> {
    return this.unitOfWork.run(async () => {
      const result = await change();
      const announced = event(result);
      if (announced) await this.sink.record(announced);
      return result;
    });
  }
}
