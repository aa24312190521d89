import type { Metrics } from '@merchant-platform/common/metrics';
import { registerQueueGauges, type QueueStats } from '@merchant-platform/common/queue-gauges';

/**
 * The webhook queue's gauges, which the chart's alerts and dashboard read (no labels): pending
 * deliveries across all replicas, and how long the oldest of them has waited.
 */
export function registerWebhookQueueGauges(metrics: Metrics, queueStats: QueueStats): void {
  registerQueueGauges(
    metrics.registry,
    {
      depth: { name: 'merchant_webhook_queue_depth', help: 'Webhook deliveries pending (neither delivered nor failed), all replicas' },
      oldestAge: {
        name: 'merchant_webhook_queue_oldest_age_seconds',
        help: 'Age of the oldest pending webhook delivery, 0 when none is pending',
      },
    },
    queueStats,
  );
}
