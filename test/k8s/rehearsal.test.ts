/**
 * The cluster rehearsal: what `helm install` would run, run here. The chart is rendered; MariaDB
 * plays the MySQL StatefulSet (its user and database are created from the StatefulSet's own
 * environment, as the MySQL image's entrypoint does); the migration Jobs' commands run, then each
 * Deployment's container command, from the production trees (build/prod/<service>, what the
 * images hold), with exactly the environment the manifests give them: Secrets resolved, `$(VAR)`
 * expanded, mounted Secret files written to a temporary directory. Three things are mapped, as a
 * cluster would map them: a pod's port 8080 becomes a loopback port per replica (HOST is bound to
 * 127.0.0.1), each Service name becomes a loopback port balancing over its ready replicas
 * (kube-proxy: a layer-4 proxy whose endpoints change without touching open connections), and the
 * Ingress becomes an nginx server built from the rendered Ingress (ingress-nginx). SES is aws-ses-v2-local; the email pods get dummy AWS keys, as IRSA would
 * give them real ones.
 */
import assert from 'node:assert/strict';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import mysql from 'mysql2/promise';
import { buildProductionTrees } from './support/build.js';
import { containerEnv, renderedSecrets } from './support/env.js';
import {
  Container,
  freePort,
  http,
  materialiseVolumes,
  Nginx,
  nginxConfig,
  ServiceProxy,
  SesEmulator,
  sleep,
  type HttpResponse,
} from './support/rehearsal.js';
import { deploymentOf, ofKind, render, SERVICES, type K8sObject, type ServiceName } from './support/render.js';
import { withSecrets } from './support/variants.js';

const HOST = 'api.merchant-platform.local';
const suffix = randomBytes(3).toString('hex');
const database = `mp_rehearsal_${suffix}`;
const dbUser = `mp_rh_${suffix}`;

interface Replica {
  service: ServiceName;
  port: number;
  container: Container;
  probes: { startup: string; liveness: string; readiness: string };
}

describe('cluster rehearsal', function () {
  this.timeout(300_000);
  const work = mkdtempSync(join(tmpdir(), 'mp-rehearsal-'));
  const replicas: Replica[] = [];
  const migrations: Container[] = [];
  let objects: K8sObject[] = [];
  let secrets: Record<string, Record<string, string>> = {};
  let ses: SesEmulator;
  let nginx: Nginx | undefined;
  /** Deployment/Service name -> its kube-proxy stand-in. */
  const proxies = new Map<string, ServiceProxy>();
  let ingressPort = 0;
  let ingress: K8sObject;
  let admin: mysql.Connection | undefined;

  const diagnostics = () =>
    [...migrations, ...replicas.map((r) => r.container)].map((c) => c.tail(15)).join('\n') +
    `\n--- nginx ---\n${nginx?.logs.join('') ?? ''}`;
  const viaIngress = (path: string, options: Parameters<typeof http>[2] = {}): Promise<HttpResponse> =>
    http(ingressPort, path, { ...options, headers: { host: HOST, ...options.headers } });

  /** Service name -> loopback listener, for every Service the pods' environment names. */
  function mapServices(env: Record<string, string>, mounts: Map<string, string>): Record<string, string> {
    const mapped: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) {
      let v = value;
      for (const svc of ofKind(objects, 'Service')) {
        const target = svc.metadata.name.endsWith('-mysql') ? 3306 : proxies.get(svc.metadata.name)?.port;
        if (target === undefined) continue;
        for (const p of svc.spec.ports as { port: number }[]) {
          v = v.replace(new RegExp(`([/@])${svc.metadata.name}:${p.port}(?=/|$)`, 'g'), `$1127.0.0.1:${target}`);
        }
      }
      for (const [mountPath, local] of mounts) if (v.startsWith(`${mountPath}/`)) v = local + v.slice(mountPath.length);
      mapped[name] = v;
    }
    return mapped;
  }

  function podEnv(pod: K8sObject['spec'], container: K8sObject, extra: Record<string, string> = {}): Record<string, string> {
    const mounts = materialiseVolumes(
      pod,
      container,
      secrets,
      join(work, 'volumes', `${container.name}-${randomBytes(2).toString('hex')}`),
    );
    // Only what a container gets: no variable of the test runner leaks in, except PATH to find node.
    return { PATH: process.env.PATH ?? '', ...mapServices(containerEnv(container, secrets), mounts), ...extra };
  }

  before(async function () {
    const prod = buildProductionTrees();
    ses = await SesEmulator.start();
    objects = render({
      values: withSecrets({
        mysql: { auth: { database, username: dbUser } },
        email: { ses: { endpoint: ses.endpoint } },
        ingress: { hosts: [HOST] },
        auth: { bcryptCost: 10 },
      }),
    });
    secrets = renderedSecrets(objects);
    ingress = ofKind(objects, 'Ingress')[0]!;

    // The MySQL StatefulSet's first start: its entrypoint creates the database and user from its env.
    const statefulSet = ofKind(objects, 'StatefulSet')[0]!;
    const mysqlEnv = containerEnv(statefulSet.spec.template.spec.containers[0], secrets);
    admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
    await admin.query(`CREATE DATABASE \`${mysqlEnv.MYSQL_DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    for (const host of ['%', 'localhost', '127.0.0.1']) {
      await admin.query('CREATE USER ?@? IDENTIFIED BY ?', [mysqlEnv.MYSQL_USER, host, mysqlEnv.MYSQL_PASSWORD]);
      await admin.query(`GRANT ALL ON \`${mysqlEnv.MYSQL_DATABASE}\`.* TO ?@?`, [mysqlEnv.MYSQL_USER, host]);
    }

    ingressPort = await freePort();
    for (const service of SERVICES) proxies.set(deploymentOf(objects, service).metadata.name, await ServiceProxy.start([]));

    // The migration Jobs, all at once: the database lock serialises them.
    for (const job of ofKind(objects, 'Job')) {
      const pod = job.spec.template.spec;
      const container = pod.containers[0];
      const service = job.metadata.labels!['app.kubernetes.io/component']!.replace('-migrate', '');
      migrations.push(new Container(job.metadata.name, container.command, join(prod, service), podEnv(pod, container)));
    }
    const codes = await Promise.all(migrations.map((m) => m.exited));
    assert.deepEqual(
      codes,
      migrations.map(() => 0),
      `migrations failed\n${diagnostics()}`,
    );

    // Every Deployment's replicas (the autoscaler's minimum when it has one).
    for (const service of SERVICES) {
      const deployment = deploymentOf(objects, service);
      const hpa = ofKind(objects, 'HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.name === deployment.metadata.name);
      const count: number = hpa?.spec.minReplicas ?? deployment.spec.replicas;
      const pod = deployment.spec.template.spec;
      const container = pod.containers[0];
      for (let i = 0; i < count; i += 1) {
        const port = await freePort();
        const extra: Record<string, string> = { PORT: String(port), HOST: '127.0.0.1' };
        if (service === 'email') Object.assign(extra, { AWS_ACCESS_KEY_ID: 'rehearsal', AWS_SECRET_ACCESS_KEY: 'rehearsal' });
        replicas.push({
          service,
          port,
          container: new Container(
            `${deployment.metadata.name}-${i}`,
            container.command,
            join(prod, service),
            podEnv(pod, container, extra),
          ),
          probes: {
            startup: container.startupProbe.httpGet.path,
            liveness: container.livenessProbe.httpGet.path,
            readiness: container.readinessProbe.httpGet.path,
          },
        });
      }
    }
    // Endpoints list a pod once its readiness probe passes.
    for (const replica of replicas) {
      await eventually(
        async () => ((await http(replica.port, replica.probes.readiness)).status === 200 ? true : undefined),
        `${replica.container.name} to become ready`,
        {
          timeoutMs: 60_000,
          intervalMs: 200,
          giveUpIf: () => (replica.container.running ? undefined : 'its container exited'),
        },
      ).catch((error: Error) => assert.fail(`${error.message}\n${diagnostics()}`));
      const proxy = proxies.get(deploymentOf(objects, replica.service).metadata.name)!;
      proxy.setEndpoints([...proxy.currentEndpoints, replica.port]);
    }
    nginx = new Nginx(Nginx.locate(), join(work, 'nginx'));
    await nginx.start(nginxConfig(join(work, 'nginx'), ingress, ingressPort, new Map([...proxies].map(([name, p]) => [name, p.port]))));
  });

  after(async () => {
    await nginx?.stop();
    for (const proxy of proxies.values()) await proxy.stop();
    for (const r of replicas) r.container.signal('SIGKILL');
    await ses?.stop();
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      for (const host of ['%', 'localhost', '127.0.0.1']) await admin.query('DROP USER IF EXISTS ?@?', [dbUser, host]);
      await admin.end();
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('runs the migration Jobs concurrently and then finds nothing left to migrate', async () => {
    const again = ofKind(objects, 'Job').map((job) => {
      const pod = job.spec.template.spec;
      const service = job.metadata.labels!['app.kubernetes.io/component']!.replace('-migrate', '');
      return new Container(
        `${job.metadata.name}-again`,
        pod.containers[0].command,
        join(buildProductionTrees(), service),
        podEnv(pod, pod.containers[0]),
      );
    });
    assert.equal(again.length, ofKind(objects, 'Deployment').length, 'one migration Job per service');
    assert.deepEqual(
      await Promise.all(again.map((m) => m.exited)),
      again.map(() => 0),
    );
  });

  it('answers every probe on its declared port and path in every replica', async () => {
    assert.equal(replicas.length, 2 * ofKind(objects, 'Deployment').length, 'two replicas of each service');
    for (const replica of replicas) {
      for (const [probe, path] of Object.entries(replica.probes)) {
        const answer = await http(replica.port, path);
        assert.equal(answer.status, 200, `${replica.container.name} ${probe} ${path}`);
      }
    }
  });

  it('routes only the public paths through the Ingress and never reaches email', async () => {
    assert.equal((await viaIngress('/auth/.well-known/jwks.json')).status, 200);
    assert.equal((await viaIngress('/emails', { method: 'POST', body: {} })).status, 404);
    assert.equal((await viaIngress('/send-email/', { method: 'POST', body: {} })).status, 404);
    assert.equal((await viaIngress('/authx')).status, 404, 'a Prefix path matches whole segments only');
    assert.equal((await viaIngress('/internal/revocations')).status, 404, "auth's internal routes stay inside the cluster");
    assert.equal((await http(ingressPort, '/auth/.well-known/jwks.json', { headers: { host: 'other.example.com' } })).status, 404);
  });

  it('registers, mails a code through SES, verifies, signs in and saves a merchant profile, all through the Ingress', async () => {
    const email = `rehearsal-${suffix}@example.com`;
    const password = `Rehearsal1!${suffix}`;
    const registered = await viaIngress('/register', {
      method: 'POST',
      body: { email, password, confirm_password: password, first_name: 'Rhea', last_name: 'Hearsal' },
    });
    assert.equal(registered.status, 201, `${registered.text}\n${diagnostics()}`);

    let code: string | undefined;
    for (let tries = 0; tries < 100 && !code; tries += 1) {
      const [mail] = await ses.emailsTo(email);
      code = mail ? /\b(\d{6})\b/.exec(mail.body.text ?? '')?.[1] : undefined;
      if (!code) await sleep(200);
    }
    assert.ok(code, `no verification code reached the SES emulator\n${diagnostics()}`);

    const first = await viaIngress('/token', { method: 'POST', body: { email, password } });
    assert.equal(first.status, 200, first.text);
    const confirmed = await viaIngress('/auth/email/verification/confirm', {
      method: 'POST',
      body: { code },
      headers: { authorization: `Bearer ${first.json.access_token}` },
    });
    assert.equal(confirmed.status, 200, confirmed.text);
    assert.equal(confirmed.json.user.email_verified, true);

    // A new token carries email_verified: true.
    const token = await viaIngress('/token', { method: 'POST', body: { email, password } });
    assert.equal(token.status, 200, token.text);
    const bearer = { authorization: `Bearer ${token.json.access_token}` };
    const me = await viaIngress('/users/me', { headers: bearer });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.user.email, email);
    const profile = { business_name: 'Rehearsal Supplies', address: { line1: '1 Main St', city: 'Springfield', country: 'US' } };
    const saved = await viaIngress('/merchants/me', { method: 'PUT', body: profile, headers: bearer });
    assert.equal(saved.status, 201, saved.text);
    assert.equal(saved.json.merchant.business_name, 'Rehearsal Supplies');
    assert.equal((await viaIngress(`/merchants/${saved.json.merchant.id}`)).status, 200);
  });

  it('passes the helm test pod against the running release, and the test creates no account', async () => {
    const testPod = ofKind(objects, 'Pod').find((p) => p.metadata.annotations?.['helm.sh/hook'] === 'test')!;
    const container = testPod.spec.containers[0];
    const countUsers = async () =>
      ((await admin!.query(`SELECT COUNT(*) AS n FROM \`${database}\`.users`)) as unknown as [{ n: number }[]])[0][0]!.n;
    const before = await countUsers();
    const run = new Container('helm-test', container.command, work, podEnv(testPod.spec, container));
    assert.equal(await run.exited, 0, run.tail());
    assert.match(run.logs.join('\n'), /ok auth refuses a wrong password with 401/);
    assert.equal(await countUsers(), before);
  });

  it('loses no request while one replica is terminated under load, as Kubernetes terminates it', async () => {
    const email = `load-${suffix}@example.com`;
    const password = `Rehearsal1!${suffix}`;
    await viaIngress('/auth/register', {
      method: 'POST',
      body: { email, password, confirm_password: password, first_name: 'Load', last_name: 'Test' },
    });
    const token = await viaIngress('/auth/token', { method: 'POST', body: { email, password } });
    assert.equal(token.status, 200, token.text);
    const headers = { authorization: `Bearer ${token.json.access_token}`, host: HOST };

    const deployment = deploymentOf(objects, 'merchants');
    const container = deployment.spec.template.spec.containers[0];
    const preStopSeconds = Number(container.lifecycle.preStop.exec.command[1]);
    const grace: number = deployment.spec.template.spec.terminationGracePeriodSeconds;
    const victim = replicas.find((r) => r.service === 'merchants')!;

    const failures: string[] = [];
    const startedAt = Date.now();
    let phase = 'steady';
    let served = 0;
    let stop = false;
    const client = async () => {
      while (!stop) {
        try {
          const answer = await http(ingressPort, '/users/me', { headers, keepAlive: true });
          if (answer.status === 200) served += 1;
          else failures.push(`${answer.status} ${answer.text.slice(0, 120)}`);
        } catch (error) {
          failures.push(`${(error as Error).message} at ${Date.now() - startedAt}ms (${phase})`);
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await sleep(1_000);

    const servedByVictim = victim.container.logs.filter((line) => line.includes('/users/me')).length;
    // Terminating: the endpoint leaves the Service and the Ingress while preStop runs; then SIGTERM.
    const proxy = proxies.get(deployment.metadata.name)!;
    phase = 'terminating';
    proxy.setEndpoints(proxy.currentEndpoints.filter((p) => p !== victim.port));
    await sleep(preStopSeconds * 1000);
    phase = 'sigterm';
    const signalled = Date.now();
    victim.container.signal('SIGTERM');
    const code = await Promise.race([victim.container.exited, sleep(grace * 1000).then(() => 'still running' as const)]);
    await sleep(1_000);
    stop = true;
    await Promise.all(clients);

    assert.equal(code, 0, `the replica did not exit cleanly within ${grace}s\n${victim.container.tail()}`);
    assert.ok(Date.now() - signalled < grace * 1000);
    assert.equal(
      failures.length,
      0,
      `${failures.length} of ${served + failures.length} requests failed:\n${failures.slice(0, 5).join('\n')}`,
    );
    assert.ok(served > 50, `only ${served} requests were served: the load was not real`);
    assert.ok(servedByVictim > 0, 'the terminated replica served none of the load before it went');
  });
});
