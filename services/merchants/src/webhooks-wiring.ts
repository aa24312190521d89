import { hkdfSync } from 'node:crypto';
import type { Database } from '@merchant-platform/common/db/database';
import type { EventfulChanges } from '@merchant-platform/common/events/eventful-changes';
import type { Logger } from '@merchant-platform/common/logger';
import type { Metrics } from '@merchant-platform/common/metrics';
import { RetryPolicy } from '@merchant-platform/common/worker/retry-policy';
import { SequelizeDeliveryRepository } from './data/delivery-repository.js';
import { SequelizeWebhookRepository } from './data/webhook-repository.js';
import { HttpsWebhookSender } from './delivery/https-webhook-sender.js';
import { SecretBox } from '@merchant-platform/common/secret-box';
import { WebhookTargetPolicy, type Resolver } from './domain/webhooks/target-policy.js';
import type { WebhookEndpoint } from './domain/webhooks/webhook.js';
import { WebhookDispatcher } from './domain/webhooks/webhook-dispatcher.js';
import { Webhooks } from './domain/webhooks/webhooks.js';
import type { WebhookSettings } from './webhooks-config.js';
import { registerWebhookQueueGauges } from './webhook-queue-metrics.js';

/** Retries go on, and a failing endpoint stays enabled, this long (the contract's 3 days). */
export const GIVE_UP_AFTER_MS = 3 * 24 * 3600 * 1000;
/** No wait between retries grows past this, so the last days still see several tries. */
const MAX_RETRY_DELAY_MS = 6 * 3600 * 1000;

export interface WebhookWiring {
  db: Database;
  logger: Logger;
  settings: WebhookSettings;
  /** Tests inject a resolver to play DNS; the system's otherwise. */
  resolve?: Resolver | undefined;
  /** Where the test route and the dispatcher record `webhook.test` and `webhook.disabled`. */
  events: EventfulChanges;
  /** Told after an endpoint was disabled and its `webhook.disabled` event committed. */
  onEndpointDisabled?: ((endpoint: WebhookEndpoint) => Promise<void> | void) | undefined;
  /** The process registry: the queue gauges are read from the database there at each scrape. */
  metrics?: Metrics | undefined;
}

/** The webhook use-cases and their dispatcher, on one database, sharing one target policy and key. */
export function createWebhooks(wiring: WebhookWiring): { webhooks: Webhooks; dispatcher: WebhookDispatcher } {
  const { db, logger, settings } = wiring;
  const webhookRepository = new SequelizeWebhookRepository(db.sequelize);
  const deliveries = new SequelizeDeliveryRepository(db.sequelize, db.dialect);
  if (wiring.metrics) registerWebhookQueueGauges(wiring.metrics, () => deliveries.queueStats());
  const targets = new WebhookTargetPolicy({ allowPrivate: settings.WEBHOOK_ALLOW_PRIVATE_TARGETS, resolve: wiring.resolve });
  const secrets = new SecretBox(
    Buffer.from(hkdfSync('sha256', settings.WEBHOOK_SECRET_KEY, 'merchant-platform', 'webhook-secret-encryption', 32)),
  );
  const dispatcher = new WebhookDispatcher(
    {
      deliveries,
      webhooks: webhookRepository,
      targets,
      sender: new HttpsWebhookSender(settings.WEBHOOK_TIMEOUT_MS),
      secrets,
      // The policy waits a random time in [d/2, d]; with d starting at twice the base, the first
      // retry comes WEBHOOK_RETRY_BASE_MS after the failure or later, never sooner (the contract).
      retry: new RetryPolicy({
        maxAttempts: Number.MAX_SAFE_INTEGER,
        baseDelayMs: 2 * settings.WEBHOOK_RETRY_BASE_MS,
        maxDelayMs: MAX_RETRY_DELAY_MS,
      }),
      logger,
      events: wiring.events,
      onEndpointDisabled: wiring.onEndpointDisabled ?? (() => undefined),
    },
    {
      batchSize: settings.WEBHOOK_BATCH_SIZE,
      pollIntervalMs: settings.WEBHOOK_POLL_INTERVAL_MS,
      timeoutMs: settings.WEBHOOK_TIMEOUT_MS,
      giveUpAfterMs: GIVE_UP_AFTER_MS,
    },
  );
  const webhooks = new Webhooks(webhookRepository, deliveries, targets, secrets, () => dispatcher.wake(), wiring.events);
  return { webhooks, dispatcher };
}
