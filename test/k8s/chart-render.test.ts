import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { runTool } from '../../tools/k8s-tools.js';
import { mysqlChart, ofKind, platformChart, render, renderFailure, buildDependencies, SERVICES } from './support/render.js';
import { KUBE_VERSIONS, VARIANTS, withSecrets } from './support/variants.js';

describe('charts render', function () {
  this.timeout(120_000);

  for (const chart of [platformChart, mysqlChart]) {
    it(`${chart.split('/').pop()} passes helm lint --strict`, () => {
      if (chart === platformChart) buildDependencies();
      // lint cannot read a cluster, so the chart generates no secret there: name existing ones (as `make chart-lint` does).
      const secrets =
        chart === platformChart
          ? ['--set', 'secrets.existingSecret=lint,mysql.auth.existingSecret=lint']
          : ['--set', 'auth.existingSecret=lint'];
      const result = runTool('helm', ['lint', '--strict', chart, ...secrets]);
      assert.equal(result.status, 0, result.stdout + result.stderr);
      assert.doesNotMatch(result.stdout, /\[(WARNING|ERROR)\]/);
    });
  }

  for (const [variant, values] of Object.entries(VARIANTS)) {
    it(`the ${variant} variant renders on Kubernetes ${KUBE_VERSIONS[0]} to ${KUBE_VERSIONS.at(-1)}`, () => {
      for (const kubeVersion of KUBE_VERSIONS) {
        const objects = render({ values: withSecrets(values), kubeVersion });
        assert.equal(ofKind(objects, 'Deployment').length, SERVICES.length, `${variant} on ${kubeVersion}`);
      }
    });
  }

  it('the chart refuses Kubernetes releases older than 1.29', () => {
    const { status, message } = renderFailure({ kubeVersion: '1.28.9', values: withSecrets({}) });
    assert.notEqual(status, 0);
    assert.match(message, /kubeVersion/i);
  });

  it('the mysql chart renders on its own', () => {
    const objects = render({ chart: mysqlChart, release: 'db', values: { auth: { rootPassword: 'root-pass', password: 'app-pass' } } });
    assert.deepEqual(objects.map((o) => o.kind).sort(), ['NetworkPolicy', 'Secret', 'Service', 'Service', 'StatefulSet']);
  });
});

describe('values.schema.json', function () {
  this.timeout(60_000);
  const refusals: [string, Record<string, unknown>, RegExp][] = [
    ['an unknown service name', { services: { billing: { replicaCount: 1 } } }, /additional properties 'billing' not allowed/],
    ['zero replicas', { services: { auth: { replicaCount: 0 } } }, /replicaCount.*minimum/s],
    ['a missing image tag', { image: { tag: '' } }, /image\/tag.*minLength/s],
    ['the latest tag', { image: { tag: 'latest' } }, /image\/tag/],
    ['a replica count given as a string', { services: { merchants: { replicaCount: '2' } } }, /replicaCount.*(integer|type)/s],
    ['an unknown top-level key', { replicas: 2 }, /additional properties 'replicas' not allowed/],
    ['a bcrypt cost outside 10-15', { auth: { bcryptCost: 4 } }, /bcryptCost.*minimum/s],
    ['an unknown e-mail transport', { email: { transport: 'smtp' } }, /transport/],
    ['an external database without a host', { mysql: { enabled: false }, externalDatabase: { password: 'x' } }, /externalDatabase\/host/],
    ['a service-token mode nobody implements', { serviceAuth: { mode: 'mtls' } }, /serviceAuth\/mode/],
    [
      'a projected token shorter than Kubernetes allows',
      { serviceAuth: { tokenExpirationSeconds: 60 } },
      /tokenExpirationSeconds.*minimum/s,
    ],
    ['kubernetes service auth without the API server address range', { serviceAuth: { mode: 'kubernetes' } }, /kubernetesApi.*cidr/s],
    ['a password pepper shorter than 32 characters', { secrets: { passwordPepper: 'too-short' } }, /passwordPepper/],
    [
      'a service-token audience setting (the audience is the called service)',
      { serviceAuth: { tokenAudience: 'email' } },
      /additional properties 'tokenAudience' not allowed/,
    ],
    ['a mysql image without a tag', { mysql: { enabled: true, image: { tag: '' } } }, /tag.*minLength/s],
    ['a console URL that is not an http(s) URL', { merchants: { consoleUrl: 'console.example.com' } }, /merchants\/consoleUrl/],
  ];
  for (const [what, values, pattern] of refusals) {
    it(`helm refuses ${what}`, () => {
      const { status, message } = renderFailure({ values: withSecrets(values) });
      assert.notEqual(status, 0, `helm accepted ${JSON.stringify(values)}`);
      assert.match(message, pattern);
    });
  }

  it('helm refuses an external database without a password or a Secret', () => {
    const { status, message } = renderFailure({ values: withSecrets({ mysql: { enabled: false }, externalDatabase: { host: 'db' } }) });
    assert.notEqual(status, 0);
    assert.match(message, /externalDatabase\.password/);
  });
});
