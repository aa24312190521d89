import { randomUUID } from 'node:crypto';
import type { ModelStatic, Sequelize, Transaction } from 'sequelize';
import { currentTransaction } from '../db/transaction-scope.js';
import { currentRequestOrigin } from '../request-origin.js';
import { allowListedData, type EventType } from './catalogue.js';
import type { DeliveredEvent, EventSink, NewEvent, PlatformEvent } from './event.js';
import { eventModel, outboxModel, type EventRow, type OutboxRow } from './event-tables.js';

/** Which consumers (by service name) must act on which types; they get one outbox row each. */
export type EventRoutes = Partial<Record<EventType, string[]>>;

/** Called inside the recording transaction (the webhooks fan-out registers one). */
export type EventListener = (event: PlatformEvent, transaction: Transaction) => Promise<void>;

/**
 * Records an event in the transaction making the change: the audit row, one delivery row per
 * interested consumer, and whatever the listeners add. A rolled-back change leaves no trace.
 */
export class EventRecorder implements EventSink {
  private readonly events: ModelStatic<EventRow>;
  private readonly outbox: ModelStatic<OutboxRow>;
  private readonly listeners: EventListener[] = [];
  private readonly committedWithDeliveries: (() => void)[] = [];

  constructor(
    sequelize: Sequelize,
    prefix: string,
    private readonly routes: EventRoutes = {},
  ) {
    this.events = eventModel(sequelize, prefix);
    this.outbox = outboxModel(sequelize, prefix);
  }

  listen(listener: EventListener): void {
    this.listeners.push(listener);
  }

  /** Called after a transaction that queued deliveries commits (the relay wakes up). */
  onDeliveriesCommitted(callback: () => void): void {
    this.committedWithDeliveries.push(callback);
  }

  async record<T extends EventType>(input: NewEvent<T>): Promise<void> {
    const transaction = currentTransaction();
    if (!transaction) throw new Error(`event ${input.type} recorded outside a transaction: it must commit with its change`);
    const origin = currentRequestOrigin();
    const event: PlatformEvent = {
      id: randomUUID(),
      type: input.type,
      created_at: new Date().toISOString(),
      actor: input.actor,
      subject: input.subject,
      merchant_id: input.merchantId ?? null,
      ip: origin?.ip ?? null,
      user_agent: origin?.userAgent ?? null,
      request_id: origin?.requestId ?? null,
      data: allowListedData(input.type, input.data),
    };
    await this.events.create(toRow(event), { transaction });
    const consumers = this.routes[input.type] ?? [];
    if (consumers.length > 0) {
      const payload = JSON.stringify({ ...event, delivery: input.delivery ?? {} } satisfies DeliveredEvent);
      const now = new Date();
      await this.outbox.bulkCreate(
        consumers.map((consumer) => ({ id: randomUUID(), event_id: event.id, consumer, payload, next_attempt_at: now, created_at: now })),
        { transaction },
      );
      transaction.afterCommit(() => this.committedWithDeliveries.forEach((callback) => callback()));
    }
    for (const listener of this.listeners) await listener(event, transaction);
  }
}

function toRow(event: PlatformEvent) {
  return {
    id: event.id,
    type: event.type,
    created_at: new Date(event.created_at),
    actor_type: event.actor.type,
    actor_id: event.actor.id,
    subject_type: event.subject.type,
    subject_id: event.subject.id,
    merchant_id: event.merchant_id,
    ip: event.ip,
    user_agent: event.user_agent,
    request_id: event.request_id,
    data: JSON.stringify(event.data),
  };
}
