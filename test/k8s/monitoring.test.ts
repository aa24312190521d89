import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { allowed, type Endpoint } from './support/network-policy.js';
import { deploymentOf, named, ofKind, platformChart, render, renderFailure, selects, SERVICES, type K8sObject } from './support/render.js';
import { VARIANTS, withSecrets } from './support/variants.js';

/** The keys the chart may write in the Prometheus Operator's objects (CRDs: no schema model checks them). */
const SERVICE_MONITOR_KEYS = {
  spec: ['namespaceSelector', 'selector', 'endpoints'],
  endpoint: ['port', 'path', 'interval', 'scrapeTimeout', 'relabelings'],
  relabeling: ['action', 'targetLabel', 'replacement'],
};
const PROMETHEUS_RULE_KEYS = { spec: ['groups'], group: ['name', 'rules'], rule: ['alert', 'expr', 'for', 'labels', 'annotations'] };

function assertKeys(where: string, obj: Record<string, unknown>, allowedKeys: string[]): void {
  assert.deepEqual(
    Object.keys(obj).filter((k) => !allowedKeys.includes(k)),
    [],
    `${where} has unknown keys`,
  );
}

const DURATION = /^\d+(ms|s|m|h)$/;

describe('monitoring in the chart', function () {
  this.timeout(60_000);
  const monitoring = VARIANTS['monitoring on']!;
  let objects: K8sObject[];
  before(() => {
    objects = render({ values: withSecrets(monitoring) });
  });

  it('renders nothing for monitoring by default, and no OpenTelemetry variable', () => {
    const defaults = render({ values: withSecrets({}) });
    assert.deepEqual([...ofKind(defaults, 'ServiceMonitor'), ...ofKind(defaults, 'PrometheusRule'), ...ofKind(defaults, 'ConfigMap')], []);
    for (const service of SERVICES) {
      const env = deploymentOf(defaults, service).spec.template.spec.containers[0].env as { name: string }[];
      assert.deepEqual(
        env.filter((e) => e.name.startsWith('OTEL_')),
        [],
      );
    }
  });

  it("has one ServiceMonitor per service, selecting exactly that service's Service and scraping its http port at /metrics", () => {
    const monitors = ofKind(objects, 'ServiceMonitor');
    assert.deepEqual(monitors.map((m) => m.metadata.name).sort(), SERVICES.map((s) => `mp-merchant-platform-${s}`).sort());
    for (const monitor of monitors) {
      assert.equal(monitor.apiVersion, 'monitoring.coreos.com/v1');
      assertKeys(`${monitor.metadata.name} spec`, monitor.spec, SERVICE_MONITOR_KEYS.spec);
      assert.deepEqual(monitor.spec.namespaceSelector, { matchNames: ['shop'] });
      const selected = ofKind(objects, 'Service').filter((s) => selects(monitor.spec.selector, s.metadata.labels ?? {}));
      assert.deepEqual(
        selected.map((s) => s.metadata.name),
        [monitor.metadata.name],
      );
      const [endpoint, ...more] = monitor.spec.endpoints;
      assert.equal(more.length, 0);
      assertKeys('endpoint', endpoint, SERVICE_MONITOR_KEYS.endpoint);
      assert.ok(selected[0]!.spec.ports.some((p: { name: string }) => p.name === endpoint.port));
      assert.equal(endpoint.path, '/metrics');
      assert.match(endpoint.interval, DURATION);
      assert.match(endpoint.scrapeTimeout, DURATION);
      for (const r of endpoint.relabelings) assertKeys('relabeling', r, SERVICE_MONITOR_KEYS.relabeling);
      const service = monitor.metadata.labels!['app.kubernetes.io/component'];
      assert.deepEqual(
        endpoint.relabelings.map((r: { targetLabel: string; replacement: string }) => [r.targetLabel, r.replacement]),
        [
          ['job', monitor.metadata.name],
          ['component', service],
        ],
      );
    }
  });

  it('has alerts of the documented shape, each with a severity, a summary and a runbook that the chart README has', () => {
    const readme = readFileSync(join(platformChart, 'README.md'), 'utf8');
    const headings = new Set(
      [...readme.matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]!
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    const rule = named(objects, 'PrometheusRule', 'mp-merchant-platform');
    assert.equal(rule.apiVersion, 'monitoring.coreos.com/v1');
    assertKeys('PrometheusRule spec', rule.spec, PROMETHEUS_RULE_KEYS.spec);
    const alerts: string[] = [];
    for (const group of rule.spec.groups) {
      assertKeys(`group ${group.name}`, group, PROMETHEUS_RULE_KEYS.group);
      for (const r of group.rules) {
        assertKeys(`rule ${r.alert}`, r, PROMETHEUS_RULE_KEYS.rule);
        assert.equal(typeof r.expr, 'string');
        if (r.for) assert.match(r.for, DURATION);
        assert.ok(['warning', 'critical'].includes(r.labels.severity), `${r.alert} severity`);
        assert.deepEqual(Object.keys(r.annotations).sort(), ['runbook_url', 'summary']);
        const anchor = new URL(r.annotations.runbook_url).hash.slice(1);
        assert.equal(anchor, r.alert.toLowerCase());
        assert.ok(headings.has(anchor), `the chart README has no runbook heading for ${r.alert}`);
        alerts.push(r.alert);
      }
    }
    assert.deepEqual(alerts.sort(), [
      'MerchantPlatformEmailQueueDeep',
      'MerchantPlatformEmailQueueStale',
      'MerchantPlatformHighErrorRatio',
      'MerchantPlatformHighLatency',
      'MerchantPlatformPodNearMemoryLimit',
      'MerchantPlatformRateLimitRejections',
      'MerchantPlatformReadinessFlapping',
      'MerchantPlatformSignInFailureSpike',
      'MerchantPlatformWebhookQueueDeep',
      'MerchantPlatformWebhookQueueStale',
    ]);
  });

  it('puts the alert thresholds from values into the expressions', () => {
    const custom = render({
      values: withSecrets({ metrics: { prometheusRule: { enabled: true, thresholds: { errorRatio: 0.125, queueDepth: 4321 } } } }),
    });
    const rules = named(custom, 'PrometheusRule', 'mp-merchant-platform').spec.groups.flatMap((g: { rules: unknown[] }) => g.rules) as {
      alert: string;
      expr: string;
    }[];
    assert.match(rules.find((r) => r.alert === 'MerchantPlatformHighErrorRatio')!.expr, />\s*0\.125\s*$/);
    assert.match(rules.find((r) => r.alert === 'MerchantPlatformEmailQueueDeep')!.expr, />\s*4321\s*$/);
  });

  it('ships the Grafana dashboard in a ConfigMap carrying the sidecar label', () => {
    const map = named(objects, 'ConfigMap', 'mp-merchant-platform-dashboard');
    assert.equal(map.metadata.labels!.grafana_dashboard, '1');
    assert.deepEqual(Object.keys(map.data), ['merchant-platform.json']);
    const dashboard = JSON.parse(map.data['merchant-platform.json']) as { uid: string; panels: { title: string }[] };
    assert.equal(dashboard.uid, 'merchant-platform');
    const titles = dashboard.panels.map((p) => p.title);
    for (const title of [
      'Request rate per route',
      'Latency per route (p50, p99)',
      'Sign-ins by method and outcome',
      'bcrypt queue',
      'Queue depth',
    ]) {
      assert.ok(titles.includes(title), `no panel "${title}"`);
    }
    assert.ok(titles.some((t) => t.startsWith('Replicas (HPA')));
  });

  it('gives every service the OpenTelemetry variables when tracing is on', () => {
    for (const service of SERVICES) {
      const env = Object.fromEntries(
        (deploymentOf(objects, service).spec.template.spec.containers[0].env as { name: string; value?: string }[]).map((e) => [
          e.name,
          e.value,
        ]),
      );
      assert.deepEqual(Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('OTEL_'))), {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability:4318',
        OTEL_SERVICE_NAME: service,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '1',
        OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=shop,deployment.environment=mp',
      });
    }
  });

  it('refuses tracing without a collector endpoint', () => {
    const refused = renderFailure({ values: withSecrets({ tracing: { enabled: true } }) });
    assert.notEqual(refused.status, 0);
    assert.match(refused.message, /otlpEndpoint/);
  });

  describe('network policies', () => {
    const nsLabels = { 'kubernetes.io/metadata.name': 'shop' };
    const pod = (component: string): Endpoint => ({
      namespace: 'shop',
      namespaceLabels: nsLabels,
      podLabels: {
        'app.kubernetes.io/name': 'merchant-platform',
        'app.kubernetes.io/instance': 'mp',
        'app.kubernetes.io/component': component,
      },
    });
    const elsewhere = (namespace: string, podLabels: Record<string, string>): Endpoint => ({
      namespace,
      namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
      podLabels,
    });
    const prometheus = elsewhere('monitoring', { 'app.kubernetes.io/name': 'prometheus' });
    const grafana = elsewhere('monitoring', { 'app.kubernetes.io/name': 'grafana' });
    const collector = elsewhere('observability', { 'app.kubernetes.io/name': 'opentelemetry-collector' });
    const mysql: Endpoint = {
      namespace: 'shop',
      namespaceLabels: nsLabels,
      podLabels: { 'app.kubernetes.io/name': 'mysql', 'app.kubernetes.io/instance': 'mp', 'app.kubernetes.io/component': 'database' },
    };
    const flows = (values: Record<string, unknown>) => {
      const policies = ofKind(render({ values: withSecrets(values) }), 'NetworkPolicy');
      return (source: Endpoint, target: Endpoint, port: number) => allowed(policies, source, target, port, 'TCP', { mysql: 3306 });
    };

    it('admit Prometheus to every service on 8080 only, with monitoring on, and nothing else from its namespace', () => {
      const can = flows(monitoring);
      for (const service of SERVICES) {
        assert.ok(can(prometheus, pod(service), 8080), `prometheus -> ${service}`);
        assert.ok(!can(prometheus, pod(service), 9229), `prometheus -> ${service}:9229`);
        assert.ok(!can(grafana, pod(service), 8080), `another pod of the monitoring namespace -> ${service}`);
        assert.ok(can(pod(service), collector, 4318), `${service} -> the collector`);
        assert.ok(!can(pod(service), collector, 4317), `${service} -> the collector's gRPC port`);
      }
      assert.ok(!can(prometheus, mysql, 3306), 'prometheus -> mysql');
      assert.ok(!can(pod('auth'), elsewhere('monitoring', {}), 4318), 'spans go nowhere but the collector');
    });

    it('deny Prometheus when monitoring is off, unless scraping is allowed on its own', () => {
      assert.ok(!flows({})(prometheus, pod('auth'), 8080));
      assert.ok(flows({ metrics: { scraper: { allow: true } } })(prometheus, pod('auth'), 8080));
    });
  });
});
