import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { EVENT_TYPES, type EventData, type EventType } from './catalogue.js';

// Names the schemas below as OpenAPI components (once, whoever imports first).
extendZodWithOpenApi(z);

export const ActorType = z.enum(['user', 'api_key', 'system']);

/** Who did it: a signed-in user, a merchant's API key, or the platform; `id` is null for an anonymous caller. */
export const EventActor = z.object({ type: ActorType, id: z.string().nullable() });
export const EventSubject = z.object({ type: z.string(), id: z.string().nullable() });

/** An event as the contract shows it: the audit log, a merchant's events, the webhook body. */
export const PlatformEvent = z
  .object({
    id: z.string(),
    type: z.enum(EVENT_TYPES),
    created_at: z.iso.datetime(),
    actor: EventActor,
    subject: EventSubject,
    merchant_id: z.string().nullable(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    request_id: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('Event', { description: 'One recorded change; `data` holds only the fields its type allows, never a secret.' });
export type PlatformEvent = z.infer<typeof PlatformEvent>;

/**
 * An event as internal delivery carries it: the stored event plus `delivery`, fields a consumer
 * needs to act but that are never stored (the deleted user's address, for the email service).
 */
export const DeliveredEvent = PlatformEvent.extend({ delivery: z.record(z.string(), z.string()).default({}) }).openapi('DeliveredEvent', {
  description: 'Internal delivery of an event to a consuming service.',
});
export type DeliveredEvent = z.infer<typeof DeliveredEvent>;

export type EventActor = z.infer<typeof EventActor>;
export type EventSubject = z.infer<typeof EventSubject>;

/** What a use-case records; the id, time and request origin are added by the recorder. */
export interface NewEvent<T extends EventType = EventType> {
  type: T;
  actor: EventActor;
  subject: EventSubject;
  merchantId?: string | null;
  data: EventData<T>;
  /** Carried to consumers only; never stored with the event nor shown to anyone. */
  delivery?: Record<string, string>;
}

/** Where use-cases record events: inside the unit of work that makes the change, or not at all. */
export interface EventSink {
  record<T extends EventType>(event: NewEvent<T>): Promise<void>;
}

export const userActor = (id: string | null): EventActor => ({ type: 'user', id });
export const userSubject = (id: string): EventSubject => ({ type: 'user', id });
