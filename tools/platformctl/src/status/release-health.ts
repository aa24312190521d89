import type { V1Deployment, V1Job, V1Pod, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';

/** What `platformctl status` read from the cluster for one release. */
export interface ReleaseState {
  deployments: V1Deployment[];
  pods: V1Pod[];
  autoscalers: V2HorizontalPodAutoscaler[];
  migrationJobs: V1Job[];
  queues: QueueReading[];
}

export interface QueueReading {
  name: string;
  /** undefined: the metric could not be read (the reason says why). */
  depth?: number;
  source: string;
  reason?: string;
}

export interface HealthReport {
  lines: string[];
  problems: string[];
}

const component = (o: { metadata?: { labels?: Record<string, string>; name?: string } }) =>
  o.metadata?.labels?.['app.kubernetes.io/component'] ?? o.metadata?.name ?? '?';

/** Judges a release: each section's lines for the terminal, and every problem that makes it unhealthy. */
export function judgeRelease(state: ReleaseState, limits: { maxQueueDepth: number }): HealthReport {
  const report: HealthReport = { lines: [], problems: [] };
  judgeDeployments(state.deployments, report);
  judgePods(state.pods, report);
  judgeAutoscalers(state.autoscalers, report);
  judgeMigrations(state.migrationJobs, report);
  judgeQueues(state.queues, limits.maxQueueDepth, report);
  return report;
}

function judgeDeployments(deployments: V1Deployment[], report: HealthReport) {
  report.lines.push('Deployments (desired / updated / ready / available):');
  for (const d of deployments) {
    const desired = d.spec?.replicas ?? 1;
    const { updatedReplicas = 0, readyReplicas = 0, availableReplicas = 0, observedGeneration = 0 } = d.status ?? {};
    const settled = observedGeneration >= (d.metadata?.generation ?? 0);
    const healthy = settled && updatedReplicas >= desired && readyReplicas >= desired && availableReplicas >= desired;
    report.lines.push(
      `  ${component(d).padEnd(12)} ${desired} / ${updatedReplicas} / ${readyReplicas} / ${availableReplicas}  ${healthy ? 'ok' : 'NOT READY'}`,
    );
    if (!healthy)
      report.problems.push(
        `Deployment ${d.metadata?.name} has not rolled out (${readyReplicas}/${desired} ready, ${updatedReplicas} updated)`,
      );
  }
}

function judgePods(pods: V1Pod[], report: HealthReport) {
  const notReady = pods.filter(
    (p) => p.status?.phase !== 'Succeeded' && !p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  report.lines.push(notReady.length === 0 ? 'Pods: all ready' : 'Pods not ready:');
  for (const pod of notReady) {
    const statuses = pod.status?.containerStatuses ?? [];
    const waiting = statuses.map((s) => s.state?.waiting?.reason).find(Boolean);
    const terminated = statuses.map((s) => s.lastState?.terminated).find(Boolean);
    const last = terminated ? `last terminated: ${terminated.reason ?? 'unknown'} (exit ${terminated.exitCode})` : 'no earlier termination';
    report.lines.push(`  ${pod.metadata?.name} (${component(pod)}): ${waiting ?? pod.status?.phase ?? 'unknown'}, ${last}`);
    report.problems.push(`pod ${pod.metadata?.name} is not ready`);
  }
}

function judgeAutoscalers(autoscalers: V2HorizontalPodAutoscaler[], report: HealthReport) {
  if (autoscalers.length === 0) return report.lines.push('Autoscalers: none (autoscaling is off)');
  report.lines.push('Autoscalers (CPU current / target, replicas min-max):');
  for (const hpa of autoscalers) {
    const target = hpa.spec?.metrics?.find((m) => m.resource?.name === 'cpu')?.resource?.target.averageUtilization;
    const current = hpa.status?.currentMetrics?.find((m) => m.resource?.name === 'cpu')?.resource?.current.averageUtilization;
    const replicas = hpa.status?.currentReplicas ?? 0;
    const max = hpa.spec?.maxReplicas ?? 1;
    report.lines.push(
      `  ${component(hpa).padEnd(12)} ${current ?? '?'}% / ${target ?? '?'}%, ${replicas} replicas (${hpa.spec?.minReplicas ?? 1}-${max})`,
    );
    if (replicas >= max && current !== undefined && target !== undefined && current > target) {
      report.problems.push(`${component(hpa)} is at its most replicas (${max}) and still above its CPU target: raise maxReplicas`);
    }
  }
}

function judgeMigrations(jobs: V1Job[], report: HealthReport) {
  const last = [...jobs].sort((a, b) => time(b.metadata?.creationTimestamp) - time(a.metadata?.creationTimestamp))[0];
  if (!last) return report.lines.push('Last migration Job: none left (the chart deletes them when they succeed)');
  const failed = last.status?.conditions?.some((c) => c.type === 'Failed' && c.status === 'True');
  const complete = last.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True');
  report.lines.push(`Last migration Job: ${last.metadata?.name} ${failed ? 'FAILED' : complete ? 'complete' : 'running'}`);
  if (failed) report.problems.push(`migration Job ${last.metadata?.name} failed: kubectl logs job/${last.metadata?.name}`);
}

function judgeQueues(queues: QueueReading[], maxDepth: number, report: HealthReport) {
  report.lines.push('Queues:');
  for (const q of queues) {
    if (q.depth === undefined) {
      report.lines.push(`  ${q.name.padEnd(20)} unknown (${q.reason})`);
      continue;
    }
    report.lines.push(`  ${q.name.padEnd(20)} ${q.depth} (from ${q.source})`);
    if (q.depth > maxDepth) report.problems.push(`the ${q.name} queue holds ${q.depth} (more than ${maxDepth})`);
  }
}

const time = (t: Date | string | undefined) => (t ? new Date(t).getTime() : 0);
