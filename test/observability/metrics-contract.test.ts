import assert from 'node:assert/strict';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { request } from '@merchant-platform/common/testing/http-server';
import { scrape, type Scrape } from '@merchant-platform/common/testing/prometheus-text';
import { named, render } from '../k8s/support/render.js';
import { VARIANTS, withSecrets } from '../k8s/support/variants.js';
import { PlatformProcesses, SERVICE_TOKEN } from './support/platform-processes.js';
import { readPromql } from './support/promql.js';

/** Made by Prometheus for each scrape target: they carry the target labels only. */
const SCRAPE_METRICS = ['up'];

/** Not ours: what kube-state-metrics and the kubelet's cAdvisor export, with the labels used. */
const CLUSTER_METRICS: Record<string, string[]> = {
  kube_pod_status_ready: ['namespace', 'pod', 'condition'],
  kube_pod_container_status_restarts_total: ['namespace', 'pod', 'container'],
  kube_pod_container_resource_limits: ['namespace', 'pod', 'container', 'resource', 'unit'],
  container_memory_working_set_bytes: ['namespace', 'pod', 'container'],
  kube_horizontalpodautoscaler_status_current_replicas: ['namespace', 'horizontalpodautoscaler'],
  kube_horizontalpodautoscaler_status_desired_replicas: ['namespace', 'horizontalpodautoscaler'],
  kube_horizontalpodautoscaler_spec_max_replicas: ['namespace', 'horizontalpodautoscaler'],
};

/** Labels the Prometheus Operator puts on every series of a ServiceMonitor's targets; the chart's relabelings add theirs. */
const OPERATOR_TARGET_LABELS = ['job', 'instance', 'namespace', 'pod', 'service', 'container', 'endpoint'];

const PASSWORD = 'Correct-Horse1!';

interface Expression {
  where: string;
  expr: string;
}

/** Every PromQL expression of the rendered alerts and dashboard, and the dashboard variables' selectors. */
function chartExpressions(): { expressions: Expression[]; targetLabels: string[] } {
  const objects = render({ values: withSecrets(VARIANTS['monitoring on']!) });
  const expressions: Expression[] = [];
  for (const group of named(objects, 'PrometheusRule', 'mp-merchant-platform').spec.groups) {
    for (const rule of group.rules) expressions.push({ where: `alert ${rule.alert}`, expr: rule.expr });
  }
  const dashboard = JSON.parse(named(objects, 'ConfigMap', 'mp-merchant-platform-dashboard').data['merchant-platform.json']) as {
    panels: { title: string; targets?: { expr: string }[] }[];
    templating: { list: { name: string; query: string | { query: string } }[] };
  };
  for (const panel of dashboard.panels) {
    for (const target of panel.targets ?? []) expressions.push({ where: `panel "${panel.title}"`, expr: target.expr });
  }
  for (const variable of dashboard.templating.list) {
    // label_values(<selector>, <label>): the selector is PromQL, the label must be one of its metric's.
    const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
    const values = /^label_values\((.+), *(\w+)\)$/.exec(query);
    if (values) expressions.push({ where: `variable $${variable.name}`, expr: `sum by (${values[2]}) (${values[1]})` });
  }
  const relabeled = named(objects, 'ServiceMonitor', 'mp-merchant-platform-auth').spec.endpoints[0].relabelings.map(
    (r: { targetLabel: string }) => r.targetLabel,
  );
  return { expressions, targetLabels: [...OPERATOR_TARGET_LABELS, ...relabeled] };
}

/** Each metric the services export (histograms by their _bucket, _sum and _count series) and the labels seen on it. */
function exported(scrapes: Scrape[]): Map<string, Set<string>> {
  const metrics = new Map<string, Set<string>>();
  for (const { samples } of scrapes) {
    for (const sample of samples) {
      const labels = metrics.get(sample.name) ?? new Set<string>();
      for (const label of Object.keys(sample.labels)) labels.add(label);
      metrics.set(sample.name, labels);
    }
  }
  return metrics;
}

describe('the alerts and the dashboard use only what the code exports', function () {
  this.timeout(300_000);
  const platform = new PlatformProcesses();
  let expressions: Expression[];
  let targetLabels: string[];
  let metrics: Map<string, Set<string>>;

  before(async () => {
    ({ expressions, targetLabels } = chartExpressions());
    // auth presents a token email refuses: every hand-over fails and is counted (and queued in auth's outbox).
    await platform.start(['email', 'auth', 'merchants'], {
      auth: { SERVICE_TOKEN: 'not-the-token-email-accepts-000000', RATE_LIMIT_TOKEN_FAILURES_PER_ACCOUNT: '1' },
    });
    const { auth, email, merchants } = platform.services as Required<typeof platform.services>;
    // Every series the alerts read must exist: make each thing happen once.
    const registered = await request(auth!.base, 'POST', '/auth/register', {
      json: { email: 'scraped@example.com', password: PASSWORD, confirm_password: PASSWORD, first_name: 'Sam', last_name: 'Scrape' },
    });
    assert.equal(registered.status, 201, registered.text);
    for (const expected of [401, 429]) {
      const refused = await request(auth!.base, 'POST', '/auth/token', {
        json: { email: 'scraped@example.com', password: 'Wrong-Horse1!' },
      });
      assert.equal(refused.status, expected, refused.text);
    }
    const queued = await request(email!.base, 'POST', '/emails', {
      token: SERVICE_TOKEN,
      json: { to: 'scraped@example.com', template: 'welcome', data: { name: 'Sam' } },
    });
    assert.equal(queued.status, 202, queued.text);
    await eventually(async () => {
      const [authNow, emailNow] = await Promise.all([scrape(auth!.base), scrape(email!.base)]);
      const handedOver = authNow.samples.some((s) => s.name === 'auth_email_handoff_failures_total');
      const sent = emailNow.samples.some((s) => s.name === 'email_send_attempts_total');
      return handedOver && sent ? true : undefined;
    }, 'a failed hand-over in auth and a send attempt in email');
    metrics = exported(await Promise.all([auth!, email!, merchants!].map((s) => scrape(s.base))));
  });
  after(() => platform.stop());

  it('every expression parses as PromQL', () => {
    assert.ok(expressions.length >= 30, `only ${expressions.length} expressions found`);
    const broken = expressions.flatMap(({ where, expr }) => readPromql(expr).errors.map((e) => `${where}: ${e}`));
    assert.deepEqual(broken, []);
  });

  it("every metric is one a running service exports, Prometheus's own or a named cluster metric", () => {
    const unknown = expressions.flatMap(({ where, expr }) =>
      readPromql(expr)
        .selectors.map((s) => s.metric)
        .filter((m) => !metrics.has(m) && !SCRAPE_METRICS.includes(m) && !(m in CLUSTER_METRICS))
        .map((m) => `${where}: ${m}`),
    );
    assert.deepEqual(unknown, []);
  });

  it("every label matched or grouped by is one its metrics carry, or a scrape target's", () => {
    const labelsOf = (metric: string): string[] => {
      if (metric in CLUSTER_METRICS) return CLUSTER_METRICS[metric]!;
      if (SCRAPE_METRICS.includes(metric)) return targetLabels;
      return [...(metrics.get(metric) ?? []), ...targetLabels];
    };
    const unknown = expressions.flatMap(({ where, expr }) => {
      const use = readPromql(expr);
      const matched = use.selectors.flatMap((s) => s.labels.filter((l) => !labelsOf(s.metric).includes(l)).map((l) => `${s.metric}{${l}}`));
      const inExpression = new Set(use.selectors.flatMap((s) => labelsOf(s.metric)));
      const grouped = use.groupingLabels.filter((l) => !inExpression.has(l)).map((l) => `by (${l})`);
      return [...matched, ...grouped].map((problem) => `${where}: ${problem}`);
    });
    assert.deepEqual(unknown, []);
  });

  it('the check finds a misspelt metric, an unknown label and a syntax error', () => {
    const typo = readPromql('sum by (rout) (rate(http_request_duration_seconds_cuont{stauts="500"}[5m]))');
    assert.ok(!metrics.has(typo.selectors[0]!.metric));
    assert.ok(!metrics.get('http_request_duration_seconds_count')!.has('stauts'));
    assert.ok(!metrics.get('http_request_duration_seconds_count')!.has('rout'));
    assert.ok(metrics.get('http_request_duration_seconds_count')!.has('route'));
    assert.notDeepEqual(readPromql('sum(rate(email_queue_depth[5m])').errors, []);
  });
});
