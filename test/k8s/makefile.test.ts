import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'mocha';
import { repoRoot } from './support/render.js';

function make(args: string[]): string {
  const result = spawnSync('make', ['--no-print-directory', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, HELM: 'helm', KUBECTL: 'kubectl' },
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

describe('the Makefile', function () {
  this.timeout(30_000);
  const required = [
    'install',
    'start',
    'test',
    'lint',
    'build',
    'images',
    'kind-up',
    'kind-down',
    'minikube-up',
    'dev',
    'cluster-dev',
    'deploy',
    'undeploy',
    'chart-lint',
    'chart-test',
    'manifests',
    'bench',
  ];

  it('make help describes every target the issue asks for', () => {
    const help = make(['help'])
      .replaceAll(String.fromCharCode(27), '')
      .replace(/\[[0-9;]*m/g, '');
    const listed = new Map(
      help
        .split('\n')
        .filter(Boolean)
        .map((line) => [line.trim().split(/\s+/)[0]!, line.trim().split(/\s+/).slice(1).join(' ')]),
    );
    for (const target of required) assert.ok(listed.get(target), `make help does not describe ${target}`);
  });

  for (const [target, command] of [
    ['install', 'npm install'],
    ['start', 'npm start'],
    ['dev', 'npm run dev'],
    ['test', 'npm test'],
    ['lint', 'npm run lint'],
    ['build', 'npm run build'],
  ]) {
    it(`make ${target} is exactly \`${command}\``, () => {
      assert.equal(make(['-n', target!]).trim(), command);
    });
  }

  it('make deploy builds the chart dependency, installs with --wait and runs helm test', () => {
    const plan = make(['-n', 'deploy']);
    assert.match(plan, /helm dependency build charts\/merchant-platform/);
    assert.match(plan, /helm upgrade --install merchant-platform charts\/merchant-platform .*--create-namespace/s);
    assert.match(plan, /--wait/);
    assert.match(plan, /helm test merchant-platform/);
  });

  it('make kind-up uses k8s/kind-cluster.yaml and installs ingress-nginx', () => {
    const plan = make(['-n', 'kind-up']);
    assert.match(plan, /--config k8s\/kind-cluster\.yaml/);
    assert.match(plan, /ingress-nginx/);
  });
});
