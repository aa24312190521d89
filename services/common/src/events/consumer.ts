import { UniqueConstraintError, type ModelStatic, type Sequelize } from 'sequelize';
import { withTransaction } from '../db/transaction-scope.js';
import type { EventType } from './catalogue.js';
import type { DeliveredEvent } from './event.js';
import { processedModel, type ProcessedRow } from './event-tables.js';
import type { EventHandlerEndpoint } from './transport.js';

/**
 * Acts on one delivered event. It runs inside the consumer's transaction (repositories join it
 * through `withTransaction`), so the action and the "processed" mark commit together.
 */
export type EventHandler = (event: DeliveredEvent) => Promise<void>;
export type EventHandlers = Partial<Record<EventType, EventHandler>>;

/**
 * The receiving side of internal delivery, idempotent by event id: the id is recorded in the
 * same transaction as the handler's work, and a second delivery of it (a retry after a lost
 * answer, two relays) finds it there and does nothing. Types with no handler are acknowledged.
 */
export class EventConsumer implements EventHandlerEndpoint {
  private readonly processed: ModelStatic<ProcessedRow>;

  constructor(
    private readonly sequelize: Sequelize,
    prefix: string,
    private readonly handlers: EventHandlers,
  ) {
    this.processed = processedModel(sequelize, prefix);
  }

  handle(event: DeliveredEvent): Promise<'processed' | 'duplicate'> {
    return withTransaction(this.sequelize, async (transaction) => {
      try {
        // A concurrent delivery of the same id waits on this row's lock, then finds it taken.
        await this.processed.create({ event_id: event.id, processed_at: new Date() }, { transaction });
      } catch (error) {
        if (error instanceof UniqueConstraintError) return 'duplicate';
        throw error;
      }
      await this.handlers[event.type]?.(event);
      return 'processed';
    });
  }
}
