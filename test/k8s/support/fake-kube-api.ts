/**
 * A fake Kubernetes API server: just enough of the API for `helm template --dry-run=server` to
 * discover the cluster and answer the chart's `lookup` calls (Secrets by name, lists of
 * ServiceAccounts). A real API server cannot run here; this stands in for one, and only for that.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '@merchant-platform/common/testing/ports';

/** The group versions and kinds the charts render; discovery must list them for helm to map them. */
const RESOURCES: Record<string, [kind: string, plural: string, namespaced: boolean][]> = {
  v1: [
    ['Namespace', 'namespaces', false],
    ['Secret', 'secrets', true],
    ['Service', 'services', true],
    ['ServiceAccount', 'serviceaccounts', true],
    ['Pod', 'pods', true],
  ],
  'apps/v1': [
    ['Deployment', 'deployments', true],
    ['StatefulSet', 'statefulsets', true],
  ],
  'batch/v1': [['Job', 'jobs', true]],
  'autoscaling/v2': [['HorizontalPodAutoscaler', 'horizontalpodautoscalers', true]],
  'policy/v1': [['PodDisruptionBudget', 'poddisruptionbudgets', true]],
  'networking.k8s.io/v1': [
    ['Ingress', 'ingresses', true],
    ['NetworkPolicy', 'networkpolicies', true],
  ],
  'rbac.authorization.k8s.io/v1': [
    ['ClusterRole', 'clusterroles', false],
    ['ClusterRoleBinding', 'clusterrolebindings', false],
  ],
};

export class FakeKubeApi {
  /** `<namespace>/<name>` -> the data (base64 values) of a Secret an earlier install of release `mp` created. */
  readonly secrets = new Map<string, Record<string, string>>();
  private constructor(
    private readonly server: Server,
    readonly kubeconfig: string,
    private readonly dir: string,
  ) {}

  static async start(): Promise<FakeKubeApi> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'mp-fake-kube-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'fake', cluster: { server: `http://127.0.0.1:${port}` } }],
        users: [{ name: 'fake', user: { token: 'fake' } }],
        contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake' } }],
        'current-context': 'fake',
      }),
    );
    const holder: { api?: FakeKubeApi } = {};
    const server = createServer((req, res) => {
      const [status, body] = holder.api!.answer(req.method ?? 'GET', new URL(req.url ?? '/', 'http://fake').pathname);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    holder.api = new FakeKubeApi(server, kubeconfig, dir);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return holder.api;
  }

  private answer(method: string, path: string): [number, unknown] {
    if (method !== 'GET') return [405, { kind: 'Status', status: 'Failure', code: 405 }];
    if (path === '/version') return [200, { major: '1', minor: '33', gitVersion: 'v1.33.0', platform: 'linux/amd64' }];
    if (path === '/api') return [200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] }];
    if (path === '/apis') {
      const groups = Object.keys(RESOURCES)
        .filter((gv) => gv.includes('/'))
        .map((gv) => {
          const [group, version] = gv.split('/') as [string, string];
          return { name: group, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
        });
      return [200, { kind: 'APIGroupList', apiVersion: 'v1', groups }];
    }
    const discovery = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))$/.exec(path);
    if (discovery) {
      const gv = discovery[1] ?? discovery[2]!;
      const resources = (RESOURCES[gv] ?? []).map(([kind, name, namespaced]) => ({
        name,
        singularName: '',
        namespaced,
        kind,
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      }));
      return [200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources }];
    }
    const secret = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/.exec(path);
    if (secret) {
      const data = this.secrets.get(`${secret[1]}/${secret[2]}`);
      if (!data)
        return [
          404,
          {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            reason: 'NotFound',
            code: 404,
            details: { name: secret[2], kind: 'secrets' },
          },
        ];
      return [
        200,
        {
          kind: 'Secret',
          apiVersion: 'v1',
          metadata: {
            name: secret[2],
            namespace: secret[1],
            labels: { 'app.kubernetes.io/managed-by': 'Helm' },
            annotations: { 'meta.helm.sh/release-name': 'mp', 'meta.helm.sh/release-namespace': secret[1] },
          },
          type: 'Opaque',
          data,
        },
      ];
    }
    // A list in any namespace, even one that does not exist yet, is a (possibly empty) list.
    const list = /^\/api\/v1\/namespaces\/[^/]+\/(serviceaccounts)$/.exec(path);
    if (list) return [200, { kind: 'ServiceAccountList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] }];
    return [404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }];
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
