/**
 * The event types a webhook may subscribe to (the contract's list, "Events: audit log and
 * webhooks"), or `*` for all of them.
 */
export const EVENT_TYPES = [
  'user.registered',
  'user.email_verified',
  'user.signed_in',
  'user.sign_in_failed',
  'user.locked',
  'user.password_changed',
  'user.password_reset',
  'user.email_changed',
  'user.disabled',
  'user.deleted',
  'mfa.enrolled',
  'mfa.removed',
  'mfa.recovery_code_used',
  'session.revoked',
  'merchant.created',
  'merchant.updated',
  'member.invited',
  'member.joined',
  'member.role_changed',
  'member.removed',
  'api_key.created',
  'api_key.rolled',
  'api_key.revoked',
  'webhook.test',
  'webhook.disabled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const ALL_EVENTS = '*';
export const SUBSCRIBABLE = [...EVENT_TYPES, ALL_EVENTS] as const;
export type Subscription = (typeof SUBSCRIBABLE)[number];

/** An event as the pipeline records it; a delivery keeps a JSON snapshot of it. */
export interface PlatformEvent {
  id: string;
  type: string;
  created_at: string;
  actor: { type: 'user' | 'api_key' | 'system'; id: string | null };
  subject: { type: string; id: string | null };
  merchant_id?: string | null;
  ip?: string | null;
  user_agent?: string | null;
  request_id?: string | null;
  data: Record<string, unknown>;
}

export const subscribes = (events: readonly string[], type: string): boolean => events.includes(ALL_EVENTS) || events.includes(type);

/**
 * Whether an endpoint gets an event. A `webhook.test` goes to the endpoint under test alone (its
 * data names it), whatever it subscribes to and even when disabled: the test route promises
 * exactly that. Every other event goes to the enabled endpoints subscribed to its type (or `*`).
 */
export function receives(
  endpoint: { id: string; enabled: boolean; events: readonly string[] },
  event: Pick<PlatformEvent, 'type' | 'data'>,
): boolean {
  if (event.type === 'webhook.test') return event.data.webhook_id === endpoint.id;
  return endpoint.enabled && subscribes(endpoint.events, event.type);
}
