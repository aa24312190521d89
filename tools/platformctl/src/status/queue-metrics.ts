import type { V1Pod } from '@kubernetes/client-node';
import { kubeCall, OperatorError, type Cluster } from '../kube/cluster.js';
import type { QueueReading } from './release-health.js';

/** The queues `status` reports: which component's pod exports each gauge. */
export const QUEUES = [
  { name: 'email outbox', component: 'email', metric: 'email_queue_depth' },
  { name: 'auth mail outbox', component: 'auth', metric: 'auth_mail_outbox_depth' },
  { name: 'webhooks', component: 'merchants', metric: 'merchant_webhook_queue_depth' },
] as const;

/** The services listen, and serve /metrics, on this container port (the chart's `http`). */
const METRICS_PORT = 8080;

/** The value of an unlabelled (or first labelled) sample of `metric` in Prometheus text. */
export function sampleValue(text: string, metric: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${metric} `) || l.startsWith(`${metric}{`));
  const value = line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Reads each queue's gauge from one ready pod of the component that exports it, through the
 * API server's pod proxy (`pods/NAME:8080/proxy/metrics`), so it works from outside the
 * cluster with only `pods/proxy` permission. The gauges count the whole queue (every replica's
 * rows), so one pod is enough.
 */
export async function readQueues(cluster: Cluster, pods: V1Pod[]): Promise<QueueReading[]> {
  const readings: QueueReading[] = [];
  for (const queue of QUEUES) {
    const pod = pods.find((p) => p.metadata?.labels?.['app.kubernetes.io/component'] === queue.component && isReady(p));
    if (!pod) {
      readings.push({ name: queue.name, source: queue.component, reason: `no ready ${queue.component} pod to ask` });
      continue;
    }
    const name = pod.metadata!.name!;
    let text: string;
    try {
      text = await kubeCall(cluster, `read /metrics of pod ${name} (pods/proxy)`, () =>
        cluster.core.connectGetNamespacedPodProxyWithPath({
          name: `${name}:${METRICS_PORT}`,
          namespace: cluster.namespace,
          path: 'metrics',
        }),
      );
    } catch (error) {
      // A queue that cannot be read is reported as unknown; the rollout's health still stands.
      if (!(error instanceof OperatorError)) throw error;
      readings.push({ name: queue.name, source: name, reason: error.message });
      continue;
    }
    const depth = sampleValue(text, queue.metric);
    readings.push(
      depth === undefined
        ? { name: queue.name, source: name, reason: `${queue.metric} is not exported by ${queue.component}` }
        : { name: queue.name, source: name, depth },
    );
  }
  return readings;
}

export const isReady = (pod: V1Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
