import { Gauge, type Registry } from 'prom-client';

/** What a queue looks like now: rows waiting, and when the oldest of them was created (null: none). */
export interface QueueSnapshot {
  depth: number;
  oldestCreatedAt: Date | null;
}

export type QueueStats = () => Promise<QueueSnapshot>;

/** The names and help texts of one queue's two gauges. */
export interface QueueGaugeNames {
  depth: { name: string; help: string };
  oldestAge: { name: string; help: string };
}

/**
 * A queue's depth and its oldest waiting row's age (seconds, 0 when empty), read from the
 * database at scrape time, so every replica reports the same truth about the shared queue.
 * One scrape reads both gauges: they share one query. A failed query leaves the last values.
 */
export function registerQueueGauges(registry: Registry, names: QueueGaugeNames, queueStats: QueueStats): void {
  let pending: Promise<QueueSnapshot | undefined> | undefined;
  const stats = () => {
    pending ??= queueStats()
      .catch(() => undefined)
      .finally(() => setTimeout(() => (pending = undefined), 250).unref());
    return pending;
  };
  reuseMetric(
    registry,
    names.depth.name,
    () =>
      new Gauge({
        ...names.depth,
        registers: [registry],
        async collect() {
          const s = await stats();
          if (s) this.set(s.depth);
        },
      }),
  );
  reuseMetric(
    registry,
    names.oldestAge.name,
    () =>
      new Gauge({
        ...names.oldestAge,
        registers: [registry],
        async collect() {
          const s = await stats();
          if (s) this.set(s.oldestCreatedAt ? Math.max(0, (Date.now() - s.oldestCreatedAt.getTime()) / 1000) : 0);
        },
      }),
  );
}

/** A second module on one registry (tests, two dispatchers in one process) shares the metric. */
export function reuseMetric<M>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}
