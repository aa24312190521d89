import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { stringify } from 'yaml';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Namespace, Pod, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { createDefaultMonokleValidator } from '@monokle/validation';
import { podSpecs, render, type K8sObject } from './support/render.js';
import { VARIANTS, withSecrets } from './support/variants.js';

// Each model validates its object against the Kubernetes OpenAPI schema on construction + validate().
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Pod': Pod,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
};

const CUSTOM_RESOURCES = ['monitoring.coreos.com/v1/ServiceMonitor', 'monitoring.coreos.com/v1/PrometheusRule'];

/**
 * kubernetes-models accepts unknown fields, so a misspelt key would pass it: these are the keys the
 * chart may use in the places it writes by hand.
 */
const ALLOWED_KEYS: Record<string, string[]> = {
  podSpec: [
    'serviceAccountName',
    'automountServiceAccountToken',
    'enableServiceLinks',
    'imagePullSecrets',
    'priorityClassName',
    'terminationGracePeriodSeconds',
    'securityContext',
    'initContainers',
    'containers',
    'volumes',
    'topologySpreadConstraints',
    'nodeSelector',
    'affinity',
    'tolerations',
    'restartPolicy',
  ],
  container: [
    'name',
    'image',
    'imagePullPolicy',
    'command',
    'args',
    'env',
    'ports',
    'startupProbe',
    'livenessProbe',
    'readinessProbe',
    'lifecycle',
    'resources',
    'securityContext',
    'volumeMounts',
  ],
  containerSecurityContext: [
    'runAsNonRoot',
    'runAsUser',
    'runAsGroup',
    'allowPrivilegeEscalation',
    'readOnlyRootFilesystem',
    'privileged',
    'capabilities',
  ],
  podSecurityContext: ['runAsNonRoot', 'runAsUser', 'runAsGroup', 'fsGroup', 'fsGroupChangePolicy', 'seccompProfile'],
  probe: ['httpGet', 'exec', 'periodSeconds', 'timeoutSeconds', 'failureThreshold'],
  deploymentSpec: ['replicas', 'revisionHistoryLimit', 'strategy', 'selector', 'template'],
  topologySpreadConstraint: ['maxSkew', 'topologyKey', 'whenUnsatisfiable', 'labelSelector', 'matchLabelKeys'],
};

function assertKnownKeys(where: string, obj: Record<string, unknown> | undefined, allowed: string[]): void {
  if (!obj) return;
  const unknown = Object.keys(obj).filter((k) => !allowed.includes(k));
  assert.deepEqual(unknown, [], `${where} has unknown keys`);
}

function monokleResources(objects: K8sObject[]) {
  return objects.map((content, i) => ({
    id: `resource-${i}`,
    fileId: `file-${i}`,
    filePath: `${content.kind}-${content.metadata.name}.yaml`,
    fileOffset: 0,
    name: content.metadata.name,
    apiVersion: content.apiVersion,
    kind: content.kind,
    namespace: content.metadata.namespace,
    content,
    text: stringify(content),
  }));
}

describe('rendered objects', function () {
  this.timeout(60_000);

  for (const [variant, values] of Object.entries(VARIANTS)) {
    it(`every object of the ${variant} variant is valid against the Kubernetes schema`, () => {
      for (const obj of render({ values: withSecrets(values) })) {
        // The Prometheus Operator's kinds have no model here; monitoring.test.ts checks their keys.
        if (CUSTOM_RESOURCES.includes(`${obj.apiVersion}/${obj.kind}`)) continue;
        const Model = MODELS[`${obj.apiVersion}/${obj.kind}`];
        assert.ok(Model, `no model for ${obj.apiVersion} ${obj.kind}: add it to MODELS`);
        assert.doesNotThrow(() => new Model(obj as never).validate(), `${obj.kind}/${obj.metadata.name}`);
      }
    });

    it(`the ${variant} variant uses only known keys in pod specs, containers, probes and security contexts`, () => {
      const objects = render({ values: withSecrets(values) });
      for (const { owner, spec } of podSpecs(objects)) {
        const where = `${owner.kind}/${owner.metadata.name}`;
        assertKnownKeys(`${where} pod spec`, spec, ALLOWED_KEYS.podSpec!);
        assertKnownKeys(`${where} pod securityContext`, spec.securityContext, ALLOWED_KEYS.podSecurityContext!);
        for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
          assertKnownKeys(`${where} container ${c.name}`, c, ALLOWED_KEYS.container!);
          assertKnownKeys(`${where} container ${c.name} securityContext`, c.securityContext, ALLOWED_KEYS.containerSecurityContext!);
          for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
            assertKnownKeys(`${where} ${c.name} ${probe}`, c[probe], ALLOWED_KEYS.probe!);
          }
        }
        for (const t of spec.topologySpreadConstraints ?? []) {
          assertKnownKeys(`${where} topologySpreadConstraint`, t, ALLOWED_KEYS.topologySpreadConstraint!);
        }
      }
      for (const d of objects.filter((o) => o.kind === 'Deployment')) {
        assertKnownKeys(`Deployment/${d.metadata.name} spec`, d.spec, ALLOWED_KEYS.deploymentSpec!);
      }
    });
  }

  it('a misspelt key is caught by the known-key check although the schema check lets it through', () => {
    const [deployment] = render({ values: withSecrets({}) }).filter((o) => o.kind === 'Deployment');
    const broken = structuredClone(deployment!);
    broken.spec.template.spec.containers[0].readinesProbe = broken.spec.template.spec.containers[0].readinessProbe;
    assert.doesNotThrow(() => new Deployment(broken as never).validate());
    assert.throws(() => assertKnownKeys('container', broken.spec.template.spec.containers[0], ALLOWED_KEYS.container!), /unknown keys/);
  });

  it('the schema check catches a wrong type and a bad quantity', () => {
    const [deployment] = render({ values: withSecrets({}) }).filter((o) => o.kind === 'Deployment');
    const wrongType = structuredClone(deployment!);
    wrongType.spec.template.spec.containers[0].ports[0].containerPort = 'eighty';
    assert.throws(() => new Deployment(wrongType as never).validate());
    const badQuantity = structuredClone(deployment!);
    badQuantity.spec.template.spec.containers[0].resources.limits.memory = 'lots';
    assert.throws(() => new Deployment(badQuantity as never).validate());
  });

  async function monokleFindings(objects: K8sObject[]) {
    const validator = createDefaultMonokleValidator();
    await validator.preload({
      plugins: {
        practices: true,
        'pod-security-standards': true,
        'resource-links': true,
        'yaml-syntax': true,
        // Both download their policies at run time: nothing to download from here.
        'kubernetes-schema': false,
        'open-policy-agent': false,
      },
    });
    const response = await validator.validate({ resources: monokleResources(objects) });
    const plugins = response.runs.flatMap((run) => (run.tool.extensions ?? []).map((e) => e.name));
    assert.ok(plugins.includes('practices') && plugins.includes('pod-security-standards'), `plugins that ran: ${plugins.join(', ')}`);
    return response.runs.flatMap((run) =>
      run.results.map((r) => ({
        plugin: r.rule?.toolComponent?.name,
        level: r.level,
        rule: r.ruleId,
        message: r.message.text,
        resource: r.locations[1]?.logicalLocations?.[0]?.fullyQualifiedName ?? '',
      })),
    );
  }

  it('monokle reports a privileged host-network pod (the plugins really run)', async () => {
    const bad: K8sObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bad', namespace: 'shop' },
      spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x:latest', securityContext: { privileged: true } }] },
    };
    const rules = (await monokleFindings([bad])).map((f) => f.rule);
    for (const rule of ['PSS102', 'PSS103', 'KBP102', 'KBP103']) assert.ok(rules.includes(rule), `${rule} not in ${rules.join(', ')}`);
  });

  for (const variant of ['defaults', 'external database', 'Google sign-in and kubernetes service auth', 'monitoring on']) {
    it(`monokle's practices and pod-security-standards plugins find nothing in the ${variant} variant`, async () => {
      const findings = await monokleFindings(render({ values: withSecrets(VARIANTS[variant]!) }));
      // monokle reports these rules as warnings: none may appear, errors or not. The one accepted
      // finding: the official MySQL image runs as its own uid/gid 999 (KBP104/KBP105, "low" ids).
      const unexpected = findings.filter((f) => !(['KBP104', 'KBP105'].includes(f.rule) && f.resource.includes('mysql')));
      assert.deepEqual(unexpected, []);
    });
  }
});
