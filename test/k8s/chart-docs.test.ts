import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { parse } from 'yaml';
import { CHARTS, readmeWithTable, readParams, undocumented } from '../../tools/chart-readme.js';
import { runToolOrThrow } from '../../tools/k8s-tools.js';
import { buildDependencies, platformChart, repoRoot } from './support/render.js';
import { TEST_MYSQL_PASSWORDS, TEST_SECRETS } from './support/variants.js';

describe('chart documentation', function () {
  this.timeout(30_000);

  for (const chart of CHARTS) {
    it(`every value of ${chart} has a ## @param line, and every @param names a value`, () => {
      const { params, values } = readParams(chart);
      assert.deepEqual(undocumented(values, params), []);
      const stale = params.filter((p) => p.defaultValue === undefined).map((p) => p.key);
      assert.deepEqual(stale, [], '@param lines for keys that values.yaml does not have');
    });

    it(`the ${chart} README's parameter table is current (node --import tsx tools/chart-readme.ts)`, () => {
      assert.equal(readFileSync(join(repoRoot, 'charts', chart, 'README.md'), 'utf8'), readmeWithTable(chart));
    });
  }

  it('NOTES.txt tells how to reach the API through the Ingress, or by port-forward without one, and warns when the Ingress has no TLS', () => {
    buildDependencies();
    const secrets = [
      '--set-json',
      `secrets=${JSON.stringify(TEST_SECRETS)}`,
      '--set-json',
      `mysql.auth=${JSON.stringify(TEST_MYSQL_PASSWORDS)}`,
    ];
    const notes = (extra: string[]) =>
      runToolOrThrow('helm', ['install', 'mp', platformChart, '--dry-run=client', '--namespace', 'shop', ...secrets, ...extra]);
    const withIngress = notes(['--set', 'ingress.tls[0].secretName=tls', '--set', 'ingress.tls[0].hosts[0]=api.merchant-platform.local']);
    assert.match(withIngress, /NOTES:[\s\S]*https:\/\/api\.merchant-platform\.local\/auth/);
    assert.doesNotMatch(withIngress, /no TLS/);
    assert.match(withIngress, /helm test mp -n shop/);
    const plain = notes([]);
    assert.match(plain, /WARNING: the Ingress has no TLS[\s\S]*passwords[\s\S]*plain HTTP/);
    const without = notes(['--set', 'ingress.enabled=false']);
    assert.match(without, /port-forward svc\/mp-merchant-platform-auth/);
  });
});

describe('local cluster configs', () => {
  it('the kind node takes the Ingress traffic on host ports 80 and 443', () => {
    const cluster = parse(readFileSync(join(repoRoot, 'k8s', 'kind-cluster.yaml'), 'utf8')) as {
      kind: string;
      nodes: { image: string; kubeadmConfigPatches: string[]; extraPortMappings: { containerPort: number; hostPort: number }[] }[];
    };
    assert.equal(cluster.kind, 'Cluster');
    const [node] = cluster.nodes;
    assert.match(node!.image, /^kindest\/node:v1\.(29|3[0-5])\.\d+$/);
    assert.match(node!.kubeadmConfigPatches.join('\n'), /node-labels: "ingress-ready=true"/);
    assert.deepEqual(
      node!.extraPortMappings.map((m) => [m.containerPort, m.hostPort]),
      [
        [80, 80],
        [443, 443],
      ],
    );
  });

  it('minikube starts with the ingress addon and a CNI that enforces network policies', () => {
    const env = Object.fromEntries(
      readFileSync(join(repoRoot, 'k8s', 'minikube.env'), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => l.split('=') as [string, string]),
    );
    assert.ok(env.MINIKUBE_ADDONS?.split(' ').includes('ingress'));
    assert.equal(env.MINIKUBE_CNI, 'calico');
    assert.equal(env.MINIKUBE_PROFILE, 'minikube', "skaffold's minikube profile activates on this context");
  });
});
