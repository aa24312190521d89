import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { deploymentOf, render, repoRoot, SERVICES } from './support/render.js';
import { withSecrets } from './support/variants.js';

// skaffold's published config schema for skaffold/v4beta14, copied here so the test needs no network.
const schema = JSON.parse(readFileSync(join(repoRoot, 'test', 'k8s', 'schemas', 'skaffold-v4beta14.json'), 'utf8')) as object;
const config = parse(readFileSync(join(repoRoot, 'skaffold.yaml'), 'utf8')) as {
  apiVersion: string;
  build: { artifacts: { image: string; docker: { target: string; dockerfile: string } }[] };
  deploy: { helm: { releases: { chartPath: string; valuesFiles: string[]; setValueTemplates: Record<string, string> }[] } };
  portForward: { resourceName: string; namespace: string; port: number }[];
  profiles: {
    name: string;
    build?: {
      artifacts: { image: string; docker: { target: string }; sync?: { manual: { src: string }[] } }[];
      local?: { push?: boolean };
    };
    patches?: { path: string; value: unknown }[];
  }[];
};

function validate(doc: unknown): string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const check = ajv.compile(schema);
  return check(doc) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('skaffold.yaml', function () {
  this.timeout(30_000);

  it('is valid against the skaffold/v4beta14 schema', () => {
    assert.equal(config.apiVersion, 'skaffold/v4beta14');
    assert.deepEqual(validate(config), []);
  });

  it('would be refused by the schema with a misspelt key (the check is real)', () => {
    const broken = structuredClone(config) as unknown as { build: { artifacts: Record<string, unknown>[] } };
    broken.build.artifacts[0]!.dockerfiel = 'Dockerfile';
    assert.notDeepEqual(validate(broken), []);
  });

  it('builds one image per service from the Dockerfile target of the same name, named as the chart names it', () => {
    const objects = render({ values: withSecrets({}) });
    for (const service of SERVICES) {
      const artifact = config.build.artifacts.find((a) => a.docker.target === service);
      assert.ok(artifact, `no artifact for the ${service} target`);
      assert.equal(artifact.docker.dockerfile, 'Dockerfile');
      const image: string = deploymentOf(objects, service).spec.template.spec.containers[0].image;
      assert.equal(image.split(':')[0], artifact.image, `the chart's ${service} image`);
      const templates = config.deploy.helm.releases[0]!.setValueTemplates;
      const key = artifact.image.replace(/[^A-Za-z0-9]/g, '_');
      assert.equal(templates[`services.${service}.image.repository`], `{{.IMAGE_REPO_${key}}}`);
      assert.equal(templates[`services.${service}.image.tag`], `{{.IMAGE_TAG_${key}}}`);
    }
  });

  it('installs the chart with values that render', () => {
    const [release] = config.deploy.helm.releases;
    assert.equal(release!.chartPath, 'charts/merchant-platform');
    const values = parse(readFileSync(join(repoRoot, release!.valuesFiles[0]!), 'utf8')) as Record<string, unknown>;
    assert.equal(render({ values: withSecrets(values) }).filter((o) => o.kind === 'Deployment').length, SERVICES.length);
  });

  it('has kind and minikube profiles that push nothing, and a sync profile that runs the sources', () => {
    for (const name of ['kind', 'minikube']) {
      const profile = config.profiles.find((p) => p.name === name);
      assert.equal(profile?.build?.local?.push, false, name);
      assert.deepEqual(
        profile?.build?.artifacts.map((a) => a.image),
        config.build.artifacts.map((a) => a.image),
      );
    }
    const sync = config.profiles.find((p) => p.name === 'sync')!;
    for (const artifact of sync.build!.artifacts) {
      assert.equal(artifact.docker.target, 'dev');
      assert.ok(artifact.sync?.manual.length, `${artifact.image} syncs nothing`);
    }
    assert.deepEqual(sync.patches?.[0]?.value, { 'dev.watch': true });
    const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^FROM build AS dev$/m);
  });

  it('forwards a local port to the ingress controller', () => {
    assert.deepEqual(
      config.portForward.map((p) => [p.namespace, p.resourceName, p.port]),
      [['ingress-nginx', 'ingress-nginx-controller', 80]],
    );
  });
});
