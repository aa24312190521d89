import { Counter, type Registry } from 'prom-client';
import { registerQueueGauges, reuseMetric, type QueueStats } from '@merchant-platform/common/queue-gauges';

export interface EmailMetrics {
  /** Messages accepted into the outbox, by template. */
  enqueued: Counter<'template'>;
  /** Messages that reached a final status (`sent` or `failed`), by template. */
  finished: Counter<'template' | 'status'>;
  /** Every send attempt by outcome: `sent`, `retry` (will be tried again) or `failed`. */
  attempts: Counter<'template' | 'outcome'>;
  /** Sends of a row whose earlier send may have reached SES unrecorded: each may be a duplicate. */
  possibleDuplicates: Counter<'template'>;
}

/**
 * The e-mail metrics, on the process registry. Queue depth and the oldest queued row's age are
 * read from the database at scrape time (one indexed query), so every replica reports the
 * same truth about the shared outbox.
 */
export function createEmailMetrics(registry: Registry, queueStats: QueueStats): EmailMetrics {
  registerQueueGauges(
    registry,
    {
      depth: { name: 'email_queue_depth', help: 'Queued e-mails not yet sent or failed (all replicas)' },
      oldestAge: { name: 'email_oldest_queued_age_seconds', help: 'Age of the oldest queued e-mail, 0 when the queue is empty' },
    },
    queueStats,
  );
  return {
    enqueued: reuseMetric(
      registry,
      'email_enqueued_total',
      () =>
        new Counter({
          name: 'email_enqueued_total',
          help: 'E-mails accepted into the outbox, by template',
          labelNames: ['template'] as const,
          registers: [registry],
        }),
    ),
    finished: reuseMetric(
      registry,
      'email_messages_total',
      () =>
        new Counter({
          name: 'email_messages_total',
          help: 'E-mails that reached a final status (sent or failed), by template',
          labelNames: ['template', 'status'] as const,
          registers: [registry],
        }),
    ),
    attempts: reuseMetric(
      registry,
      'email_send_attempts_total',
      () =>
        new Counter({
          name: 'email_send_attempts_total',
          help: 'Send attempts by template and outcome (sent, retry, failed)',
          labelNames: ['template', 'outcome'] as const,
          registers: [registry],
        }),
    ),
    possibleDuplicates: reuseMetric(
      registry,
      'email_possible_duplicates_total',
      () =>
        new Counter({
          name: 'email_possible_duplicates_total',
          help: 'Resends of an e-mail whose earlier send may have reached SES without its outcome being recorded (a crash or a timeout mid-send)',
          labelNames: ['template'] as const,
          registers: [registry],
        }),
    ),
  };
}
