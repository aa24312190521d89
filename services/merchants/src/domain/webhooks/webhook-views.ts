import { z } from 'zod';
import { DELIVERY_STATUSES, type WebhookDelivery, type WebhookEndpoint } from './webhook.js';

/** A webhook endpoint as shown: never its secret. */
export const WebhookView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string().nullable(),
  enabled: z.boolean(),
  created_at: z.iso.datetime(),
});
export type WebhookView = z.output<typeof WebhookView>;

/** A delivery in the log: `next_attempt_at` is null once it is delivered or failed. */
export const DeliveryView = z.object({
  id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  response_status: z.number().int().nullable(),
  next_attempt_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
  delivered_at: z.iso.datetime().nullable(),
});
export type DeliveryView = z.output<typeof DeliveryView>;

export function presentWebhook(endpoint: WebhookEndpoint): WebhookView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description,
    enabled: endpoint.enabled,
    created_at: endpoint.created_at.toISOString(),
  };
}

export function presentDelivery(delivery: WebhookDelivery): DeliveryView {
  return {
    id: delivery.id,
    event_id: delivery.event_id,
    event_type: delivery.event_type,
    status: delivery.status,
    attempts: delivery.attempts,
    response_status: delivery.response_status,
    next_attempt_at: delivery.status === 'pending' ? delivery.next_attempt_at.toISOString() : null,
    created_at: delivery.created_at.toISOString(),
    delivered_at: delivery.delivered_at?.toISOString() ?? null,
  };
}
