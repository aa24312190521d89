import { EX_USAGE, type CliIo } from '@merchant-platform/common/cli';
import { EXIT_CODES } from '@merchant-platform/common/exit-codes';
import { CLUSTER_HELP, CLUSTER_OPTIONS, parseCommandLine } from '../command-line.js';
import { OperatorError, connect, kubeCall, releaseSelector, type Cluster } from '../kube/cluster.js';
import { readQueues } from './queue-metrics.js';
import { judgeRelease, type ReleaseState } from './release-health.js';

export const STATUS_HELP = `usage: platformctl status [-n NS] [--release NAME] [--max-queue-depth N]

Each Deployment's rollout (desired, updated, ready, available), the pods that are not ready and
why they last stopped, each autoscaler's CPU against its target, the last migration Job, and the
e-mail and webhook queue depths read from a pod's /metrics through the API server's proxy.
Changes nothing. Exit status 0 when all is healthy, 1 when anything is not (so it can gate a
pipeline), 64 bad arguments, 66 release not found, 69 API server unreachable, 77 forbidden by
RBAC, 78 no kubeconfig.

      --max-queue-depth N  a queue deeper than this is unhealthy (default: 1000)
${CLUSTER_HELP}`;

export async function runStatus(io: CliIo): Promise<number> {
  const args = parseCommandLine(io, { ...CLUSTER_OPTIONS, 'max-queue-depth': { type: 'string', default: '1000' } }, STATUS_HELP);
  if (args.help) {
    io.out(STATUS_HELP);
    return 0;
  }
  const maxQueueDepth = Number(args['max-queue-depth']);
  if (!Number.isInteger(maxQueueDepth) || maxQueueDepth < 0) {
    throw new OperatorError(`--max-queue-depth must be a whole number of 0 or more, not "${args['max-queue-depth']}".`, EX_USAGE);
  }
  const cluster = connect(args, io.env);
  io.err(`Reading release ${args.release} in namespace ${cluster.namespace} from ${cluster.server}...`);
  const state = await readRelease(cluster, args.release);
  const report = judgeRelease(state, { maxQueueDepth });
  report.lines.forEach((line) => io.out(line));
  if (report.problems.length === 0) {
    io.out(`Healthy: release ${args.release} in ${cluster.namespace}.`);
    return 0;
  }
  io.out(`UNHEALTHY: ${report.problems.length} problem(s):`);
  report.problems.forEach((problem) => io.out(`  - ${problem}`));
  return 1;
}

/** Everything `status` judges, read with list calls filtered by the release's label. */
export async function readRelease(cluster: Cluster, release: string): Promise<ReleaseState> {
  const { namespace } = cluster;
  const labelSelector = releaseSelector(release);
  const deployments = (
    await kubeCall(cluster, 'list deployments', () => cluster.apps.listNamespacedDeployment({ namespace, labelSelector }))
  ).items;
  if (deployments.length === 0) {
    throw new OperatorError(
      `Release "${release}" not found in namespace ${namespace}: no Deployment is labelled ${labelSelector} (helm list -n ${namespace}).`,
      EXIT_CODES.inputMissing,
    );
  }
  const pods = (await kubeCall(cluster, 'list pods', () => cluster.core.listNamespacedPod({ namespace, labelSelector }))).items;
  const autoscalers = (
    await kubeCall(cluster, 'list horizontalpodautoscalers', () =>
      cluster.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace, labelSelector }),
    )
  ).items;
  const jobs = (await kubeCall(cluster, 'list jobs', () => cluster.batch.listNamespacedJob({ namespace, labelSelector }))).items;
  const migrationJobs = jobs.filter((job) => job.metadata?.labels?.['app.kubernetes.io/component']?.endsWith('-migrate'));
  return { deployments, pods, autoscalers, migrationJobs, queues: await readQueues(cluster, pods) };
}
