import { Counter, Gauge, type Registry } from 'prom-client';

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

export type QueueStats = () => Promise<{ depth: number; oldestCreatedAt: Date | null }>;

/**
 * The e-mail metrics, on the process registry. Queue depth and the oldest queued row's age are
 * read from the database at scrape time (one indexed query), so every replica reports the
 * same truth about the shared outbox.
 */
export function createEmailMetrics(registry: Registry, queueStats: QueueStats): EmailMetrics {
  // One scrape reads both gauges; share the query between them.
  let pending: Promise<{ depth: number; oldestCreatedAt: Date | null } | undefined> | undefined;
  const stats = () => {
    pending ??= queueStats()
      .catch(() => undefined)
      .finally(() => setTimeout(() => (pending = undefined), 250).unref());
    return pending;
  };
  registerQueueGauges(registry, stats);
  return {
    enqueued: reuse(
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
    finished: reuse(
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
    attempts: reuse(
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
    possibleDuplicates: reuse(
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

function registerQueueGauges(registry: Registry, stats: () => Promise<{ depth: number; oldestCreatedAt: Date | null } | undefined>) {
  reuse(
    registry,
    'email_queue_depth',
    () =>
      new Gauge({
        name: 'email_queue_depth',
        help: 'Queued e-mails not yet sent or failed (all replicas)',
        registers: [registry],
        async collect() {
          const s = await stats();
          if (s) this.set(s.depth);
        },
      }),
  );
  reuse(
    registry,
    'email_oldest_queued_age_seconds',
    () =>
      new Gauge({
        name: 'email_oldest_queued_age_seconds',
        help: 'Age of the oldest queued e-mail, 0 when the queue is empty',
        registers: [registry],
        async collect() {
          const s = await stats();
          if (s) this.set(s.oldestCreatedAt ? Math.max(0, (Date.now() - s.oldestCreatedAt.getTime()) / 1000) : 0);
        },
      }),
  );
}

/** A second module on one registry (tests, two dispatchers in one process) shares the metric. */
function reuse<M>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}
