import type { PageQuery } from '@merchant-platform/common/pagination';
import type { QueueSnapshot } from '@merchant-platform/common/queue-gauges';
import type { PlatformEvent } from './event-types.js';

/** A merchant's webhook endpoint. The signing secret is held sealed (secret-box.ts), never in the clear. */
export interface WebhookEndpoint {
  id: string;
  merchant_id: string;
  url: string;
  events: string[];
  description: string | null;
  sealed_secret: string;
  enabled: boolean;
  /** When the current run of failed attempts began; null after any success. */
  failing_since: Date | null;
  created_at: Date;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface WebhookDelivery {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  /** The event's JSON exactly as it is sent: a snapshot, independent of the event tables. */
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  response_status: number | null;
  last_error: string | null;
  next_attempt_at: Date;
  created_at: Date;
  delivered_at: Date | null;
}

/** A delivery leased to one dispatcher until `leaseExpiresAt`, fenced by `claimToken`. */
export interface ClaimedDelivery {
  delivery: WebhookDelivery;
  endpoint: WebhookEndpoint;
  claimToken: string;
  leaseExpiresAt: Date;
}

/** What one attempt came to, as recorded. */
export type AttemptResult =
  | { outcome: 'delivered'; responseStatus: number; at: Date }
  | { outcome: 'retry'; responseStatus: number | null; error: string; nextAttemptAt: Date }
  | { outcome: 'failed'; responseStatus: number | null; error: string };

/** An opaque database transaction of the caller's (the event pipeline's), passed through untouched. */
export type TransactionHandle = unknown;

export interface WebhookRepository {
  insert(endpoint: WebhookEndpoint): Promise<void>;
  list(merchantId: string): Promise<WebhookEndpoint[]>;
  find(merchantId: string, webhookId: string): Promise<WebhookEndpoint | undefined>;
  /** False when there was none. Its deliveries go with it. */
  delete(merchantId: string, webhookId: string): Promise<boolean>;
  /** Notes a failed attempt; true when this call disabled an endpoint failing since `disableIfFailingSince` or earlier. */
  noteFailure(webhookId: string, now: Date, disableIfFailingSince: Date): Promise<boolean>;
  noteSuccess(webhookId: string): Promise<void>;
}

export interface DeliveryRepository {
  /** One pending delivery per endpoint of the event's merchant that `receives` it (event-types.ts); returns how many. */
  enqueueForSubscribers(event: PlatformEvent, payload: string, transaction?: TransactionHandle): Promise<number>;
  claimDue(now: Date, limit: number, leaseMs: number): Promise<ClaimedDelivery[]>;
  /** Only the holder of the current claim may record; false when the claim was lost. */
  record(claim: ClaimedDelivery, result: AttemptResult): Promise<boolean>;
  /** Up to `limit + 1` deliveries after the cursor, oldest first (the extra one says another page exists). */
  listPage(webhookId: string, query: PageQuery): Promise<WebhookDelivery[]>;
  /** Makes the delivery due now, whatever its status; false when there is none. */
  retryNow(webhookId: string, deliveryId: string, now: Date): Promise<boolean>;
  /** The deliveries still pending (neither delivered nor failed), and when the oldest was queued: the queue gauges. */
  queueStats(): Promise<QueueSnapshot>;
}
