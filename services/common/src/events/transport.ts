import type { DeliveredEvent } from './event.js';

/** How an event reaches a consuming service; a throw means "not delivered, try again later". */
export interface EventTransport {
  deliver(consumer: string, event: DeliveredEvent): Promise<void>;
}

/** Anything that acts on a delivered event: a service's EventConsumer. */
export interface EventHandlerEndpoint {
  handle(event: DeliveredEvent): Promise<unknown>;
}

/** All-in-one mode: the consumer's own `handle`, as its `/internal/events` route would call it. */
export class InProcessEventTransport implements EventTransport {
  constructor(private readonly consumers: Record<string, EventHandlerEndpoint>) {}

  async deliver(consumer: string, event: DeliveredEvent): Promise<void> {
    const endpoint = this.consumers[consumer];
    if (!endpoint) throw new Error(`no consumer named ${consumer} in this process`);
    await endpoint.handle(event);
  }
}
