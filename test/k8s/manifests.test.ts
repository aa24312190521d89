import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { runToolOrThrow } from '../../tools/k8s-tools.js';
import { HAND_WRITTEN, MANIFESTS_DIR, NAMESPACE, renderPlainManifests } from '../../tools/render-manifests.js';
import { parseManifests, repoRoot } from './support/render.js';

describe('k8s/manifests', function () {
  this.timeout(60_000);

  it('match what the chart renders today (run `make manifests` after changing the chart)', () => {
    const expected = renderPlainManifests();
    const committed = readdirSync(MANIFESTS_DIR).filter((f) => !HAND_WRITTEN.includes(f));
    assert.deepEqual(committed.sort(), [...expected.keys()].sort(), 'k8s/manifests has other files than the chart renders');
    for (const [name, content] of expected) {
      assert.equal(
        readFileSync(join(MANIFESTS_DIR, name), 'utf8'),
        content,
        `k8s/manifests/${name} differs from the chart: run make manifests`,
      );
    }
  });

  it('build with kubectl kustomize into the chart objects plus a restricted namespace, and no Secret', () => {
    const objects = parseManifests(runToolOrThrow('kubectl', ['kustomize', MANIFESTS_DIR]));
    const kinds = objects.map((o) => o.kind);
    assert.ok(!kinds.includes('Secret'), 'secrets are created by the documented commands, never committed');
    assert.ok(!kinds.includes('Job') && !kinds.includes('Pod'), 'no Helm hooks in plain manifests');
    for (const kind of [
      'Namespace',
      'Deployment',
      'Service',
      'StatefulSet',
      'Ingress',
      'NetworkPolicy',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
    ]) {
      assert.ok(kinds.includes(kind), `no ${kind}`);
    }
    const namespace = objects.find((o) => o.kind === 'Namespace')!;
    assert.equal(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) assert.equal(o.metadata.namespace, NAMESPACE);
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
      assert.equal(
        d.spec.template.spec.initContainers?.[0]?.name,
        'migrate',
        `${d.metadata.name} must migrate itself without the hook Jobs`,
      );
    }
  });

  it('name the Secrets that the README tells people to create', () => {
    const readme = readFileSync(join(MANIFESTS_DIR, 'README.md'), 'utf8');
    const text = [...renderPlainManifests().values()].join('\n');
    const referenced = new Set([...text.matchAll(/secretName: (\S+)|secretKeyRef:\s+name: (\S+)/g)].map((m) => m[1] ?? m[2]));
    for (const secret of referenced)
      assert.match(readme, new RegExp(`create secret generic ${secret} `), `the README does not create ${secret}`);
    assert.ok(existsSync(join(repoRoot, 'k8s', 'manifests-values.yaml')));
  });
});
