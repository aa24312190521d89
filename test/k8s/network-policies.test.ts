import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { allowed, type Endpoint } from './support/network-policy.js';
import { ofKind, render } from './support/render.js';
import { VARIANTS, withSecrets } from './support/variants.js';

describe('network policies', function () {
  this.timeout(60_000);
  const namespace = 'shop';
  const nsLabels = { 'kubernetes.io/metadata.name': namespace };
  const pod = (component: string, name = 'merchant-platform'): Endpoint => ({
    namespace,
    namespaceLabels: nsLabels,
    podLabels: {
      'app.kubernetes.io/name': name,
      'app.kubernetes.io/instance': 'mp',
      'app.kubernetes.io/component': component,
      'app.kubernetes.io/part-of': 'merchant-platform',
    },
  });
  const mysql: Endpoint = {
    namespace,
    namespaceLabels: nsLabels,
    podLabels: { 'app.kubernetes.io/name': 'mysql', 'app.kubernetes.io/instance': 'mp', 'app.kubernetes.io/component': 'database' },
  };
  const controller: Endpoint = {
    namespace: 'ingress-nginx',
    namespaceLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
    podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' },
  };
  const dns: Endpoint = {
    namespace: 'kube-system',
    namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
    podLabels: { 'k8s-app': 'kube-dns' },
  };
  const stranger: Endpoint = { namespace, namespaceLabels: nsLabels, podLabels: { app: 'something-else' } };
  const otherNamespace: Endpoint = {
    namespace: 'other',
    namespaceLabels: { 'kubernetes.io/metadata.name': 'other' },
    podLabels: { 'app.kubernetes.io/component': 'auth' },
  };
  const internet: Endpoint = { ip: '52.94.236.248' };
  const [auth, merchants, email] = [pod('auth'), pod('merchants'), pod('email')];
  const migrate = pod('auth-migrate');
  const helmTest = pod('helm-test');

  function flows(values: Record<string, unknown>) {
    const policies = ofKind(render({ values: withSecrets(values) }), 'NetworkPolicy');
    return (source: Endpoint, target: Endpoint, port: number, protocol = 'TCP') =>
      allowed(policies, source, target, port, protocol, { mysql: 3306 });
  }

  it('admit exactly the flows the platform needs and nothing else', () => {
    const can = flows({});
    const expected: [string, Endpoint, Endpoint, number, boolean][] = [
      ['ingress controller -> auth', controller, auth, 8080, true],
      ['ingress controller -> merchants', controller, merchants, 8080, true],
      ['ingress controller -> email', controller, email, 8080, false],
      ['auth -> email', auth, email, 8080, true],
      ['merchants -> auth (JWKS, internal routes)', merchants, auth, 8080, true],
      ['merchants -> email (invitation mail)', merchants, email, 8080, true],
      ['email -> auth', email, auth, 8080, false],
      ['auth -> merchants (data export, account deletion, events)', auth, merchants, 8080, true],
      ['auth -> mysql', auth, mysql, 3306, true],
      ['merchants -> mysql', merchants, mysql, 3306, true],
      ['email -> mysql', email, mysql, 3306, true],
      ['migration -> mysql', migrate, mysql, 3306, true],
      ['migration -> auth', migrate, auth, 8080, false],
      ['helm test -> auth', helmTest, auth, 8080, true],
      ['helm test -> email', helmTest, email, 8080, true],
      ['helm test -> mysql', helmTest, mysql, 3306, false],
      ['a stranger pod -> auth', stranger, auth, 8080, false],
      ['a stranger pod -> mysql', stranger, mysql, 3306, false],
      ['another namespace -> email', otherNamespace, email, 8080, false],
      ['email -> SES over HTTPS', email, internet, 443, true],
      ['merchants -> the internet over HTTPS (webhooks)', merchants, internet, 443, true],
      ['merchants -> the internet over plain HTTP', merchants, internet, 80, false],
      ['merchants -> a private address over HTTPS', merchants, { ip: '10.1.2.3' }, 443, false],
      ['merchants -> the cloud metadata service', merchants, { ip: '169.254.169.254' }, 443, false],
      ['merchants -> a CGNAT (pod) address', merchants, { ip: '100.64.0.10' }, 443, false],
      ['auth -> the internet without Google sign-in', auth, internet, 443, false],
      ['email -> the internet over plain HTTP', email, internet, 80, false],
      ['auth -> a wrong port on email', auth, email, 9229, false],
      ['mysql -> the internet', mysql, internet, 443, false],
    ];
    const wrong = expected
      .filter(([, s, t, port, want]) => can(s, t, port) !== want)
      .map(([what, , , , want]) => `${what} should be ${want ? 'allowed' : 'denied'}`);
    assert.deepEqual(wrong, []);
    for (const p of [auth, merchants, email, migrate]) {
      assert.ok(can(p, dns, 53, 'UDP') && can(p, dns, 53, 'TCP'), 'DNS');
    }
  });

  it('let auth reach Google over HTTPS only when Google sign-in is configured', () => {
    const can = flows(VARIANTS['Google sign-in and kubernetes service auth']!);
    assert.ok(can(auth, internet, 443));
    assert.ok(!can(merchants, { ip: '10.1.2.3' }, 443), 'webhooks never into private ranges');
  });

  it('let the services that check callers (auth, merchants, email), and nothing else, reach only the Kubernetes API range in kubernetes mode', () => {
    const can = flows(VARIANTS['Google sign-in and kubernetes service auth']!);
    const apiServer: Endpoint = { ip: '172.18.0.2' };
    for (const service of [auth, merchants, email]) {
      assert.ok(can(service, apiServer, 6443) && can(service, apiServer, 443));
      assert.ok(!can(service, { ip: '10.1.2.3' }, 6443), 'the TokenReview rule names its destination');
    }
    assert.ok(!can(migrate, apiServer, 6443));
    assert.ok(!flows({})(email, apiServer, 6443), 'token mode needs no API access');
  });

  it('admit the database only from the configured range when it is external', () => {
    const can = flows(VARIANTS['external database']!);
    assert.ok(can(auth, { ip: '10.20.3.4' }, 3306));
    assert.ok(!can(auth, { ip: '10.99.3.4' }, 3306));
  });

  it('are all gone when switched off', () => {
    const objects = render({ values: withSecrets(VARIANTS['network policies off']!) });
    assert.deepEqual(
      ofKind(objects, 'NetworkPolicy').map((p) => p.metadata.name),
      ['mp-mysql'],
    );
  });
});
