import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FakeKubernetesApi } from '@merchant-platform/common/testing/fake-kubernetes-api';
import { autoscaler, deployment, migrationJob, NAMESPACE, PATHS, platformctl, pod, RELEASE, startFakeRelease } from './fake-release.js';

describe('platformctl status (against the fake API server)', () => {
  let kube: FakeKubernetesApi;
  let dir: string;
  let env: Record<string, string>;
  const status = (extra: string[] = []) => platformctl(['status', '-n', NAMESPACE, '--release', RELEASE, ...extra], env);

  let release: Awaited<ReturnType<typeof startFakeRelease>>;
  beforeEach(async () => {
    release = await startFakeRelease();
    ({ kube, dir, env } = release);
  });
  afterEach(() => release.close());

  it('reports a rolled-out release as healthy, with rollouts, autoscalers and queue depths, and exits 0', async () => {
    const run = await status();
    assert.equal(run.code, 0, run.err);
    assert.deepEqual(run.out.split('\n'), [
      'Deployments (desired / updated / ready / available):',
      '  auth         2 / 2 / 2 / 2  ok',
      '  merchants    2 / 2 / 2 / 2  ok',
      '  email        2 / 2 / 2 / 2  ok',
      'Pods: all ready',
      'Autoscalers (CPU current / target, replicas min-max):',
      '  auth         35% / 70%, 2 replicas (2-6)',
      '  merchants    35% / 70%, 2 replicas (2-6)',
      '  email        35% / 70%, 2 replicas (2-6)',
      'Last migration Job: none left (the chart deletes them when they succeed)',
      'Queues:',
      '  email outbox         3 (from mp-merchant-platform-email-abc12)',
      '  auth mail outbox     0 (from mp-merchant-platform-auth-abc12)',
      '  webhooks             1 (from mp-merchant-platform-merchants-abc12)',
      'Healthy: release mp in shop.',
    ]);
    assert.deepEqual(kube.changes(), [], 'status changes nothing');
    assert.ok(
      kube.requests.some((r) => r.path === '/api/v1/namespaces/shop/pods/mp-merchant-platform-email-abc12:8080/proxy/metrics'),
      'the queue depth is read through the API server proxy',
    );
  });

  it('exits 1 and names every problem: a stuck rollout, a crashing pod with its last termination reason, a failed migration, a saturated autoscaler, a deep queue', async () => {
    kube.objects.put(PATHS.deployments, deployment('auth', { ready: 1, updated: 1 }));
    kube.objects.put(
      PATHS.pods,
      pod('mp-merchant-platform-auth-zz999', 'auth', {
        ready: false,
        waiting: 'CrashLoopBackOff',
        lastTerminated: { reason: 'OOMKilled', exitCode: 137 },
      }),
    );
    kube.objects.put(PATHS.autoscalers, autoscaler('merchants', { current: 95, replicas: 6 }));
    kube.objects.put(PATHS.jobs, migrationJob('auth', 'Failed', '2026-12-01T10:00:00Z'));
    kube.proxy(NAMESPACE, 'mp-merchant-platform-email-abc12:8080', 'metrics', 'email_queue_depth 5000\n');
    const run = await status();
    assert.equal(run.code, 1);
    assert.match(run.out, /^ {2}auth {9}2 \/ 1 \/ 1 \/ 1 {2}NOT READY$/m);
    assert.match(run.out, /^ {2}mp-merchant-platform-auth-zz999 \(auth\): CrashLoopBackOff, last terminated: OOMKilled \(exit 137\)$/m);
    assert.match(run.out, /^Last migration Job: mp-merchant-platform-auth-migrate FAILED$/m);
    const problems = run.out.slice(run.out.indexOf('UNHEALTHY')).split('\n');
    assert.deepEqual(problems, [
      'UNHEALTHY: 5 problem(s):',
      '  - Deployment mp-merchant-platform-auth has not rolled out (1/2 ready, 1 updated)',
      '  - pod mp-merchant-platform-auth-zz999 is not ready',
      '  - merchants is at its most replicas (6) and still above its CPU target: raise maxReplicas',
      '  - migration Job mp-merchant-platform-auth-migrate failed: kubectl logs job/mp-merchant-platform-auth-migrate',
      '  - the email outbox queue holds 5000 (more than 1000)',
    ]);
  });

  it('says the release was not found (exit 66) when no Deployment carries its label', async () => {
    const run = await platformctl(['status', '-n', NAMESPACE, '--release', 'other'], env);
    assert.equal(run.code, 66);
    assert.match(run.err, /Release "other" not found in namespace shop: no Deployment is labelled app\.kubernetes\.io\/instance=other/);
  });

  it('says which permission RBAC refused (exit 77)', async () => {
    kube.forbid('GET', PATHS.pods);
    const run = await status();
    assert.equal(run.code, 77);
    assert.match(run.err, /Forbidden: your account may not list pods in namespace shop \(RBAC\)/);
  });

  it('says there is no kubeconfig (exit 78) rather than trying localhost', async () => {
    const run = await platformctl(['status'], { HOME: dir });
    assert.equal(run.code, 78);
    assert.match(run.err, /No kubeconfig: .*\.kube\/config does not exist and neither --kubeconfig nor KUBECONFIG is set/);
    const missing = await platformctl(['status', '--kubeconfig', join(dir, 'nope.yaml')], { HOME: dir });
    assert.equal(missing.code, 78);
    assert.match(missing.err, /The kubeconfig .*nope\.yaml does not exist/);
  });

  it('says the API server is unreachable (exit 69)', async () => {
    await kube.close();
    const run = await status();
    assert.equal(run.code, 69);
    assert.match(run.err, /Could not reach the API server at http:\/\/127\.0\.0\.1:\d+ to list deployments/);
  });

  it('answers --help and refuses an unknown option with the help (exit 64)', async () => {
    const help = await platformctl(['status', '--help'], env);
    assert.equal(help.code, 0);
    assert.match(help.out, /^usage: platformctl status/);
    const wrong = await platformctl(['status', '--colour'], env);
    assert.equal(wrong.code, 64);
    assert.match(wrong.err, /Unknown option '--colour'[\s\S]*usage: platformctl status/);
  });
});
