import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { containerEnv, renderedSecrets, type SecretData } from './support/env.js';
import { assertConfigLoadsFrom } from './support/service-config.js';
import {
  deploymentOf,
  isHook,
  named,
  ofKind,
  podSpecs,
  render,
  repoRoot,
  selects,
  SERVICES,
  type K8sObject,
  type ServiceName,
} from './support/render.js';
import { VARIANTS, withSecrets } from './support/variants.js';

/** Set by the chart only to build DATABASE_URL through `$(DATABASE_PASSWORD)`. */
const CHART_ONLY_VARIABLES = ['DATABASE_PASSWORD'];

/** What a cluster would hold for the Secrets a variant names but does not create. */
const EXISTING_SECRETS: SecretData = {
  'platform-secrets': {
    'jwt-private-key.pem': 'pem',
    'session-keys': 'k1,k2',
    'service-token': 'a-service-token-of-32-characters',
    'password-pepper': 'a-password-pepper-of-32-characters',
    'webhook-secret-key': 'a-webhook-secret-key-of-32-characters',
  },
  'db-credentials': { password: 'external-pass' },
};

function secretsOf(objects: K8sObject[]): SecretData {
  return { ...EXISTING_SECRETS, ...renderedSecrets(objects) };
}

/** The services table of docs/api.md: each service's path prefixes and whether the Ingress may reach them. */
function apiContractRoutes(): { service: string; paths: string[]; exposed: boolean }[] {
  const file = join(repoRoot, 'docs', 'api.md');
  assert.ok(existsSync(file), `${file} is missing: the Ingress is checked against it`);
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /^\| (auth|merchants|email) +\|/.test(l));
  assert.equal(rows.length, 3, 'docs/api.md no longer has the services table this test reads');
  return rows.map((row) => {
    const cells = row.split('|').map((c) => c.trim());
    return {
      service: cells[1]!,
      paths: [...cells[3]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\/$/, '')),
      exposed: cells[4]!.startsWith('yes'),
    };
  });
}

describe('chart and code agree', function () {
  this.timeout(60_000);
  const defaults = render({ values: withSecrets({}) });

  it('every Service targets the named container port its pods listen on, which is the PORT they are given', () => {
    for (const service of SERVICES) {
      const deployment = deploymentOf(defaults, service);
      const svc = named(defaults, 'Service', `mp-merchant-platform-${service}`);
      const [container] = deployment.spec.template.spec.containers;
      const port = container.ports.find((p: { name: string }) => p.name === svc.spec.ports[0].targetPort);
      assert.ok(port, `${service}: Service targets ${svc.spec.ports[0].targetPort}, which the container does not declare`);
      const env = containerEnv(container, secretsOf(defaults));
      assert.equal(String(port.containerPort), env.PORT);
      assert.equal(env.HOST, '0.0.0.0');
      assert.ok(selects({ matchLabels: svc.spec.selector }, deployment.spec.template.metadata.labels));
    }
  });

  it('every probe uses the container port and a path the common health routes serve', () => {
    const healthSource = readFileSync(join(repoRoot, 'services', 'common', 'src', 'health.ts'), 'utf8');
    const served = [...healthSource.matchAll(/router\.get\('([^']+)'/g)].map((m) => m[1]);
    for (const service of SERVICES) {
      const [container] = deploymentOf(defaults, service).spec.template.spec.containers;
      const probes = { startupProbe: '/healthz', livenessProbe: '/healthz', readinessProbe: '/readyz' } as const;
      for (const [probe, path] of Object.entries(probes)) {
        assert.equal(container[probe].httpGet.path, path, `${service} ${probe}`);
        assert.ok(served.includes(path), `${path} is not served by services/common/src/health.ts`);
        assert.ok(
          container.ports.some((p: { name: string }) => p.name === container[probe].httpGet.port),
          `${service} ${probe} port`,
        );
      }
    }
  });

  for (const [variant, values] of Object.entries(VARIANTS)) {
    it(`in the ${variant} variant every service's config loads from exactly the environment its Deployment gives it`, () => {
      const objects = render({ values: withSecrets(values) });
      const secrets = secretsOf(objects);
      for (const service of SERVICES) {
        const [container] = deploymentOf(objects, service).spec.template.spec.containers;
        const env = containerEnv(container, secrets);
        assertConfigLoadsFrom(service, env, service, CHART_ONLY_VARIABLES);
        assert.equal(env.NODE_ENV, 'production');
      }
    });

    it(`in the ${variant} variant every migration (hook Job or init container) loads its config from its environment`, () => {
      const objects = render({ values: withSecrets(values) });
      const secrets = secretsOf(objects);
      const migrations = podSpecs(objects).flatMap(({ owner, spec }) =>
        [...(spec.initContainers ?? []), ...(owner.kind === 'Job' ? spec.containers : [])].map((c: K8sObject) => ({ owner, container: c })),
      );
      assert.ok(migrations.length >= 3, 'each service needs a migration Job or init container');
      for (const { owner, container } of migrations) {
        assert.match(container.command.join(' '), /^node services\/(auth|merchants|email|console)\/dist\/migrate\.js$/);
        assertConfigLoadsFrom('migration', containerEnv(container, secrets), owner.metadata.name, CHART_ONLY_VARIABLES);
      }
    });

    it(`in the ${variant} variant every *_FILE variable names a file a mounted volume provides`, () => {
      const objects = render({ values: withSecrets(values) });
      for (const service of SERVICES) {
        const { spec } = deploymentOf(objects, service).spec.template;
        const [container] = spec.containers;
        for (const v of container.env.filter((e: { name: string }) => e.name.endsWith('_FILE'))) {
          const mount = container.volumeMounts.find((m: { mountPath: string }) => v.value.startsWith(`${m.mountPath}/`));
          assert.ok(mount, `${service}: ${v.name}=${v.value} is under no volume mount`);
          const volume = spec.volumes.find((vol: { name: string }) => vol.name === mount.name);
          const file = v.value.slice(mount.mountPath.length + 1);
          const provided = [
            ...(volume.secret?.items ?? []),
            ...(volume.projected?.sources ?? []).map((s: K8sObject) => s.serviceAccountToken),
          ].map((i) => i.path);
          assert.ok(provided.includes(file), `${service}: volume ${volume.name} does not provide ${file}`);
        }
      }
    });
  }

  it('the services find each other and the database through Services the chart renders', () => {
    const secrets = secretsOf(defaults);
    const services = ofKind(defaults, 'Service');
    for (const service of SERVICES) {
      const env = containerEnv(deploymentOf(defaults, service).spec.template.spec.containers[0], secrets);
      // Browser origins (passkeys) and the console links in mails name the public hosts, not a Service.
      const browserFacing = new Set(['WEBAUTHN_ORIGINS', 'CONSOLE_URL']);
      for (const [name, value] of Object.entries(env).filter(([n, v]) => !browserFacing.has(n) && /^(https?|mysql):\/\//.test(v))) {
        const url = new URL(value);
        const target = services.find((s) => s.metadata.name === url.hostname);
        assert.ok(target, `${service} ${name}=${value} names no Service`);
        assert.ok(
          target.spec.ports.some((p: { port: number }) => String(p.port) === (url.port || '80')),
          `${service} ${name}: port ${url.port}`,
        );
      }
      assert.ok(
        env.DATABASE_URL?.includes(`:${secrets['mp-mysql']!['mysql-password']}@`),
        'DATABASE_URL carries the MySQL Secret password',
      );
    }
  });

  it('the Ingress routes exactly the public prefixes of docs/api.md and never reaches email', () => {
    for (const variant of ['defaults', 'TLS']) {
      const ingress = ofKind(render({ values: withSecrets(VARIANTS[variant]!) }), 'Ingress');
      assert.equal(ingress.length, 1);
      const routed = new Map<string, string>();
      for (const rule of ingress[0]!.spec.rules) {
        for (const p of rule.http.paths) {
          assert.equal(p.pathType, 'Prefix');
          routed.set(p.path, p.backend.service.name.replace('mp-merchant-platform-', ''));
        }
      }
      const expected = new Map(
        apiContractRoutes()
          .filter((r) => r.exposed)
          .flatMap((r) => r.paths.map((p) => [p, r.service] as const)),
      );
      // And the console's pages at `/`: the shortest prefix, so each API path above keeps its service.
      expected.set('/', 'console');
      assert.deepEqual([...routed].sort(), [...expected].sort());
      assert.ok(![...routed.values()].includes('email'));
      assert.ok(ingress[0]!.spec.ingressClassName);
    }
    const tls = ofKind(render({ values: withSecrets(VARIANTS.TLS!) }), 'Ingress')[0]!;
    assert.deepEqual(tls.spec.tls, [{ secretName: 'api-tls', hosts: ['api.example.com'] }]);
  });

  it('every HorizontalPodAutoscaler scales an existing Deployment, and that Deployment leaves replicas to it', () => {
    const hpas = ofKind(defaults, 'HorizontalPodAutoscaler');
    assert.deepEqual(hpas.map((h) => h.metadata.name).sort(), [
      'mp-merchant-platform-auth',
      'mp-merchant-platform-console',
      'mp-merchant-platform-merchants',
    ]);
    for (const hpa of hpas) {
      assert.equal(hpa.apiVersion, 'autoscaling/v2');
      const target = named(defaults, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name);
      assert.equal(target.spec.replicas, undefined, `${target.metadata.name} sets replicas and would fight its autoscaler`);
      assert.ok(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds >= 60);
      assert.equal(hpa.spec.metrics[0].resource.name, 'cpu');
      assert.ok(target.spec.template.spec.containers[0].resources.requests.cpu, 'CPU utilisation needs a CPU request');
    }
    const withMemory = ofKind(
      render({ values: withSecrets({ services: { auth: { autoscaling: { targetMemoryUtilizationPercentage: 80 } } } }) }),
      'HorizontalPodAutoscaler',
    );
    assert.deepEqual(
      named(withMemory, 'HorizontalPodAutoscaler', 'mp-merchant-platform-auth').spec.metrics.map((m: K8sObject) => m.resource.name),
      ['cpu', 'memory'],
    );
    const off = render({ values: withSecrets(VARIANTS['autoscaling off']!) });
    assert.equal(ofKind(off, 'HorizontalPodAutoscaler').length, 0);
    for (const service of SERVICES) assert.equal(deploymentOf(off, service).spec.replicas, 3);
  });

  it("every PodDisruptionBudget selects exactly its own service's pods", () => {
    const pods = podSpecs(defaults);
    for (const pdb of ofKind(defaults, 'PodDisruptionBudget')) {
      const selected = pods.filter((p) => selects(pdb.spec.selector, p.labels)).map((p) => `${p.owner.kind}/${p.owner.metadata.name}`);
      assert.deepEqual(selected, [`Deployment/${pdb.metadata.name}`]);
    }
    assert.equal(ofKind(defaults, 'PodDisruptionBudget').length, SERVICES.length);
  });

  it('the migration Jobs run before upgrades, and before installs only when the database already exists', () => {
    const bundled = ofKind(defaults, 'Job');
    assert.equal(bundled.length, SERVICES.length);
    for (const job of bundled) assert.equal(job.metadata.annotations?.['helm.sh/hook'], 'pre-upgrade');
    for (const service of SERVICES) {
      assert.equal(
        deploymentOf(defaults, service).spec.template.spec.initContainers[0].name,
        'migrate',
        'with the bundled MySQL the first install migrates in init containers',
      );
    }
    const external = render({ values: withSecrets(VARIANTS['external database']!) });
    for (const job of ofKind(external, 'Job')) assert.equal(job.metadata.annotations?.['helm.sh/hook'], 'pre-install,pre-upgrade');
    for (const service of SERVICES) assert.equal(deploymentOf(external, service).spec.template.spec.initContainers, undefined);
    const secret = named(external, 'Secret', 'mp-merchant-platform');
    assert.ok(Number(secret.metadata.annotations?.['helm.sh/hook-weight']) < 0, 'the Secret must exist before the Jobs that read it');
  });

  it('pods restart when a secret value changes, and not when nothing changed', () => {
    const annotation = (objects: K8sObject[]) => deploymentOf(objects, 'auth').spec.template.metadata.annotations['checksum/secret'];
    assert.equal(annotation(render({ values: withSecrets({}) })), annotation(render({ values: withSecrets({}) })));
    assert.notEqual(
      annotation(render({ values: withSecrets({}) })),
      annotation(render({ values: withSecrets({ secrets: { serviceToken: 'another-token-of-enough-length' } }) })),
    );
  });

  it('only the pods that check service tokens (auth, merchants and email, in kubernetes mode) get a ServiceAccount token', () => {
    for (const [variant, expectation] of [
      ['defaults', []],
      ['Google sign-in and kubernetes service auth', ['auth', 'email', 'merchants']],
    ] as const) {
      const objects = render({ values: withSecrets(VARIANTS[variant]!) });
      const mounted = podSpecs(objects)
        .filter((p) => p.spec.automountServiceAccountToken !== false)
        .map((p) => p.labels['app.kubernetes.io/component']);
      assert.deepEqual(mounted, [...expectation], variant);
      for (const sa of ofKind(objects, 'ServiceAccount')) assert.equal(sa.automountServiceAccountToken, false);
    }
  });

  it('in kubernetes mode auth, merchants and email may create TokenReviews and nothing else', () => {
    const k8s = render({ values: withSecrets(VARIANTS['Google sign-in and kubernetes service auth']!) });
    const [role] = ofKind(k8s, 'ClusterRole');
    assert.deepEqual(role!.rules, [{ apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] }]);
    const [binding] = ofKind(k8s, 'ClusterRoleBinding');
    assert.deepEqual(binding!.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role!.metadata.name });
    assert.deepEqual(
      binding!.subjects,
      ['auth', 'email', 'merchants'].map((s) => ({ kind: 'ServiceAccount', name: `mp-merchant-platform-${s}`, namespace: 'shop' })),
    );
    assert.equal(ofKind(render({ values: withSecrets({}) }), 'ClusterRole').length, 0, 'token mode needs no cluster-wide rights');
  });

  it('in kubernetes mode each caller presents a projected token for the service it calls, which accepts only that caller', () => {
    const k8s = render({ values: withSecrets(VARIANTS['Google sign-in and kubernetes service auth']!) });
    const envOf = (service: ServiceName) => containerEnv(deploymentOf(k8s, service).spec.template.spec.containers[0], secretsOf(k8s));
    const projected = (service: ServiceName) =>
      deploymentOf(k8s, service)
        .spec.template.spec.volumes.find((v: K8sObject) => v.projected)
        ?.projected.sources.map((source: K8sObject) => source.serviceAccountToken);
    // auth -> email and merchants; merchants -> auth and email (invitation mail): one token per audience, each in a file named after it.
    assert.deepEqual(projected('auth'), [
      { audience: 'email', expirationSeconds: 600, path: 'email' },
      { audience: 'merchants', expirationSeconds: 600, path: 'merchants' },
    ]);
    assert.deepEqual(projected('merchants'), [
      { audience: 'auth', expirationSeconds: 600, path: 'auth' },
      { audience: 'email', expirationSeconds: 600, path: 'email' },
    ]);
    assert.equal(projected('email'), undefined, 'email calls no service');
    const [auth, merchants, email] = [envOf('auth'), envOf('merchants'), envOf('email')];
    const tokens = '/var/run/secrets/merchant-platform/service-token';
    assert.deepEqual(
      [auth.SERVICE_TOKEN_FILE, auth.MERCHANTS_SERVICE_TOKEN_FILE, merchants.SERVICE_TOKEN_FILE, merchants.EMAIL_SERVICE_TOKEN_FILE],
      [`${tokens}/email`, `${tokens}/merchants`, `${tokens}/auth`, `${tokens}/email`],
    );
    assert.deepEqual(
      [auth.SERVICE_AUTH, auth.SERVICE_AUTH_AUDIENCE, auth.SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS],
      ['kubernetes', 'auth', 'system:serviceaccount:shop:mp-merchant-platform-merchants'],
    );
    assert.deepEqual(
      [merchants.SERVICE_AUTH, merchants.SERVICE_AUTH_AUDIENCE, merchants.SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS],
      ['kubernetes', 'merchants', 'system:serviceaccount:shop:mp-merchant-platform-auth'],
    );
    assert.deepEqual(
      [email.SERVICE_AUTH, email.SERVICE_AUTH_AUDIENCE, email.SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS],
      [
        'kubernetes',
        'email',
        'system:serviceaccount:shop:mp-merchant-platform-auth,system:serviceaccount:shop:mp-merchant-platform-merchants',
      ],
    );
    for (const env of [auth, merchants, email])
      assert.equal(env.SERVICE_TOKEN, undefined, 'kubernetes mode must not also hand out the shared token');
  });

  it('in token mode auth, merchants and email share the service token, and auth gets the password pepper', () => {
    const secrets = secretsOf(defaults);
    const envOf = (service: ServiceName) => containerEnv(deploymentOf(defaults, service).spec.template.spec.containers[0], secrets);
    const token = secrets['mp-merchant-platform']!['service-token'];
    for (const service of ['auth', 'merchants', 'email'] as const) assert.equal(envOf(service).SERVICE_TOKEN, token, service);
    assert.equal(envOf('console').SERVICE_TOKEN, undefined, 'the console calls only public APIs, with the user’s token');
    assert.equal(envOf('auth').SERVICE_AUTH, 'token');
    assert.equal(envOf('email').SERVICE_AUTH, 'token');
    assert.equal(envOf('merchants').SERVICE_AUTH, 'token', 'auth calls merchants for export and deletion');
    assert.equal(envOf('auth').MERCHANTS_SERVICE_URL, 'http://mp-merchant-platform-merchants:80');
    assert.equal(envOf('auth').MERCHANTS_SERVICE_TOKEN_FILE, undefined, 'token mode presents the shared token');
    assert.equal(envOf('auth').PASSWORD_PEPPER, secrets['mp-merchant-platform']!['password-pepper']);
    assert.equal(envOf('merchants').PASSWORD_PEPPER, undefined, 'only auth hashes passwords');
    assert.equal(envOf('merchants').AUTH_INTERNAL_URL, 'http://mp-merchant-platform-auth:80');
    assert.equal(envOf('merchants').EMAIL_SERVICE_URL, 'http://mp-merchant-platform-email:80', 'merchants mails invitations');
  });

  it('points invitation links at the console: the first Ingress host by default, or merchants.consoleUrl', () => {
    const consoleUrl = (values: Record<string, unknown>) => {
      const objects = render({ values: withSecrets(values) });
      return containerEnv(deploymentOf(objects, 'merchants').spec.template.spec.containers[0], secretsOf(objects)).CONSOLE_URL;
    };
    assert.equal(consoleUrl({}), 'https://api.merchant-platform.local');
    assert.equal(consoleUrl({ merchants: { consoleUrl: 'https://console.example.com' } }), 'https://console.example.com');
  });

  it("with Google on, the console shows the button and auth allows the console's completion page on each console origin", () => {
    const envs = (values: Record<string, unknown>) => {
      const objects = render({ values: withSecrets(values) });
      const envOf = (s: ServiceName) => containerEnv(deploymentOf(objects, s).spec.template.spec.containers[0], secretsOf(objects));
      return { auth: envOf('auth'), console: envOf('console') };
    };
    const off = envs({ auth: { redirectAllowlist: ['https://app.example.com'] } });
    assert.equal(off.console.CONSOLE_GOOGLE_SIGN_IN, 'false');
    assert.equal(off.auth.AUTH_REDIRECT_ALLOWLIST, 'https://app.example.com');

    const google = VARIANTS['Google sign-in and kubernetes service auth']!;
    const on = envs({ ...google, ingress: { hosts: ['shop.example.com', 'www.shop.example.com'] } });
    assert.equal(on.console.CONSOLE_GOOGLE_SIGN_IN, 'true');
    assert.equal(
      on.auth.AUTH_REDIRECT_ALLOWLIST,
      'https://shop.example.com/sign-in/google/complete,https://www.shop.example.com/sign-in/google/complete',
    );
    const own = envs({
      ...google,
      merchants: { consoleUrl: 'https://console.example.com/' },
      auth: { ...(google.auth as object), redirectAllowlist: ['https://app.example.com'] },
    });
    assert.equal(own.auth.AUTH_REDIRECT_ALLOWLIST, 'https://app.example.com,https://console.example.com/sign-in/google/complete');
  });

  it('merchants alone gets the webhook key from the Secret and the dispatcher settings, private targets refused', () => {
    const secrets = secretsOf(defaults);
    const envOf = (service: ServiceName) => containerEnv(deploymentOf(defaults, service).spec.template.spec.containers[0], secrets);
    const merchants = envOf('merchants');
    assert.deepEqual(
      [
        merchants.WEBHOOK_SECRET_KEY,
        merchants.WEBHOOK_RETRY_BASE_MS,
        merchants.WEBHOOK_TIMEOUT_MS,
        merchants.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      ],
      [secrets['mp-merchant-platform']!['webhook-secret-key'], '30000', '10000', 'false'],
    );
    for (const service of ['auth', 'email'] as const) assert.equal(envOf(service).WEBHOOK_SECRET_KEY, undefined, service);
    const tuned = render({ values: withSecrets({ webhooks: { retryBaseMs: 1000, timeoutMs: 5000, allowPrivateTargets: false } }) });
    const env = containerEnv(deploymentOf(tuned, 'merchants').spec.template.spec.containers[0], secretsOf(tuned));
    assert.deepEqual([env.WEBHOOK_RETRY_BASE_MS, env.WEBHOOK_TIMEOUT_MS], ['1000', '5000']);
  });

  it("the Ingress routes no prefix of auth's internal routes (/internal/...)", () => {
    const [ingress] = ofKind(render({ values: withSecrets(VARIANTS.TLS!) }), 'Ingress');
    const paths: string[] = ingress!.spec.rules.flatMap((r: K8sObject) => r.http.paths.map((p: { path: string }) => p.path));
    assert.ok(paths.length > 0);
    const backend = new Map<string, string>(
      ingress!.spec.rules.flatMap((r: K8sObject) =>
        r.http.paths.map((p: { path: string; backend: K8sObject }) => [
          p.path,
          p.backend.service.name.replace('mp-merchant-platform-', ''),
        ]),
      ),
    );
    for (const internal of ['/internal', '/internal/revocations']) {
      const routed = paths.filter((p) => internal === p || internal.startsWith(`${p.replace(/\/$/, '')}/`) || p === '/');
      // Only the console's catch-all `/` matches (it answers its own 404 page); no prefix reaches auth.
      assert.deepEqual(routed, ['/'], `${internal} would be routed to ${routed.map((p) => backend.get(p)).join(', ')}`);
      assert.equal(backend.get('/'), 'console');
    }
  });

  it('every pod passes the restricted Pod Security Standard and writes only to /tmp', () => {
    for (const { owner, spec } of podSpecs(defaults)) {
      const where = `${owner.kind}/${owner.metadata.name}`;
      assert.equal(spec.securityContext.runAsNonRoot, true, where);
      assert.equal(spec.securityContext.seccompProfile.type, 'RuntimeDefault', where);
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        assert.equal(c.securityContext.allowPrivilegeEscalation, false, where);
        assert.deepEqual(c.securityContext.capabilities.drop, ['ALL'], where);
        assert.equal(c.securityContext.readOnlyRootFilesystem, true, where);
        assert.ok(c.resources.requests && c.resources.limits, `${where} ${c.name} resources`);
        if (owner.metadata.labels?.['app.kubernetes.io/name'] === 'merchant-platform') {
          assert.ok(
            c.volumeMounts.some((m: { mountPath: string }) => m.mountPath === '/tmp'),
            `${where} ${c.name} has no writable /tmp`,
          );
        }
      }
    }
    for (const service of SERVICES) {
      const { spec } = deploymentOf(defaults, service).spec.template;
      assert.deepEqual(
        spec.topologySpreadConstraints.map((t: K8sObject) => t.topologyKey),
        ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'],
      );
      assert.ok(selects(spec.topologySpreadConstraints[0].labelSelector, deploymentOf(defaults, service).spec.template.metadata.labels));
    }
  });

  it('no hook but the Secret, the migration Jobs and the test pod', () => {
    const hooks = defaults.filter(isHook).map((o) => `${o.kind}:${o.metadata.annotations!['helm.sh/hook']}`);
    assert.deepEqual(hooks.sort(), [...SERVICES.map(() => 'Job:pre-upgrade'), 'Pod:test', 'Secret:pre-install,pre-upgrade'].sort());
  });
});
