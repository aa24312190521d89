import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '@merchant-platform/common/cli';
import { FakeKubernetesApi } from '@merchant-platform/common/testing/fake-kubernetes-api';
import type { KubeObject } from '@merchant-platform/common/testing/fake-kubernetes-objects';
import { runPlatformctl } from '../src/platformctl.js';

export const NAMESPACE = 'shop';
export const RELEASE = 'mp';
export const COMPONENTS = ['auth', 'merchants', 'email'] as const;

export const PATHS = {
  deployments: `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`,
  pods: `/api/v1/namespaces/${NAMESPACE}/pods`,
  autoscalers: `/apis/autoscaling/v2/namespaces/${NAMESPACE}/horizontalpodautoscalers`,
  jobs: `/apis/batch/v1/namespaces/${NAMESPACE}/jobs`,
  secrets: `/api/v1/namespaces/${NAMESPACE}/secrets`,
};

const labels = (component: string) => ({
  'app.kubernetes.io/instance': RELEASE,
  'app.kubernetes.io/name': 'merchant-platform',
  'app.kubernetes.io/component': component,
});

export const SIGNING_KEY_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

/** A release of the chart as the API server would describe it once rolled out: three Deployments, pods, HPAs, the Secret. */
export function putHealthyRelease(kube: FakeKubernetesApi): void {
  for (const component of COMPONENTS) {
    kube.objects.put(PATHS.deployments, deployment(component));
    kube.objects.put(PATHS.pods, pod(`${RELEASE}-merchant-platform-${component}-abc12`, component, { ready: true }));
    kube.objects.put(PATHS.autoscalers, autoscaler(component, { current: 35, replicas: 2 }));
  }
  kube.objects.put(PATHS.secrets, {
    metadata: { name: `${RELEASE}-merchant-platform`, labels: { 'app.kubernetes.io/instance': RELEASE } },
    type: 'Opaque',
    data: { 'jwt-private-key.pem': Buffer.from(SIGNING_KEY_PEM).toString('base64'), 'session-keys': Buffer.from('s').toString('base64') },
  });
  kube.proxy(NAMESPACE, `${RELEASE}-merchant-platform-email-abc12:8080`, 'metrics', metrics({ email_queue_depth: 3 }));
  kube.proxy(NAMESPACE, `${RELEASE}-merchant-platform-auth-abc12:8080`, 'metrics', metrics({ auth_mail_outbox_depth: 0 }));
  kube.proxy(NAMESPACE, `${RELEASE}-merchant-platform-merchants-abc12:8080`, 'metrics', metrics({ merchant_webhook_queue_depth: 1 }));
}

export function deployment(component: string, status: { ready?: number; updated?: number } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `${RELEASE}-merchant-platform-${component}`, namespace: NAMESPACE, labels: labels(component), generation: 3 },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels(component) },
      template: {
        metadata: { labels: labels(component), annotations: { 'checksum/config': 'abc' } },
        spec: {
          containers: [
            { name: component, image: `merchant-platform/${component}:1.0.0`, env: [{ name: 'ACCESS_TOKEN_TTL_SECONDS', value: '900' }] },
          ],
        },
      },
    },
    status: {
      observedGeneration: 3,
      replicas: 2,
      updatedReplicas: status.updated ?? 2,
      readyReplicas: status.ready ?? 2,
      availableReplicas: status.ready ?? 2,
    },
  };
}

export function pod(
  name: string,
  component: string,
  state: { ready: boolean; waiting?: string; lastTerminated?: { reason: string; exitCode: number } },
): KubeObject {
  return {
    metadata: { name, namespace: NAMESPACE, labels: labels(component) },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: state.ready ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: component,
          ready: state.ready,
          restartCount: state.lastTerminated ? 4 : 0,
          image: 'x',
          imageID: 'x',
          state: state.waiting ? { waiting: { reason: state.waiting } } : { running: {} },
          lastState: state.lastTerminated ? { terminated: state.lastTerminated } : {},
        },
      ],
    },
  };
}

export function autoscaler(component: string, s: { current: number; replicas: number; max?: number }): KubeObject {
  return {
    metadata: { name: `${RELEASE}-merchant-platform-${component}`, labels: labels(component) },
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: `${RELEASE}-merchant-platform-${component}` },
      minReplicas: 2,
      maxReplicas: s.max ?? 6,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
    status: {
      currentReplicas: s.replicas,
      desiredReplicas: s.replicas,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: s.current } } }],
    },
  };
}

export function migrationJob(component: string, condition: 'Complete' | 'Failed', createdAt: string): KubeObject {
  return {
    metadata: {
      name: `${RELEASE}-merchant-platform-${component}-migrate`,
      labels: labels(`${component}-migrate`),
      creationTimestamp: createdAt,
    },
    status: { conditions: [{ type: condition, status: 'True' }] },
  };
}

function metrics(gauges: Record<string, number>): string {
  const lines = ['# HELP process_cpu_seconds_total x', '# TYPE process_cpu_seconds_total counter', 'process_cpu_seconds_total 1.5'];
  for (const [name, value] of Object.entries(gauges)) lines.push(`# HELP ${name} x`, `# TYPE ${name} gauge`, `${name} ${value}`);
  return `${lines.join('\n')}\n`;
}

/** Runs `platformctl <args>` in-process with only the given environment; collects what it printed. */
export async function platformctl(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { argv: args, env, out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await runPlatformctl(io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A fake API server holding a healthy release, and a kubeconfig for it in a temporary HOME. */
export async function startFakeRelease() {
  const kube = await FakeKubernetesApi.start();
  const dir = mkdtempSync(join(tmpdir(), 'platformctl-'));
  const env = { KUBECONFIG: kube.writeKubeconfig(dir), HOME: dir };
  putHealthyRelease(kube);
  return {
    kube,
    dir,
    env,
    async close() {
      await kube.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
