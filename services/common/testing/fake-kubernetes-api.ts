import { writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AuthenticationV1Api, KubeConfig } from '@kubernetes/client-node';
import { FakeObjectStore, kubeStatus } from './fake-kubernetes-objects.js';

/** The token the called service itself presents to the API server (its own ServiceAccount's). */
export const REVIEWER_TOKEN = 'fake-email-service-account-token';

/** The token an operator's kubeconfig (written by `writeKubeconfig`) presents. */
export const OPERATOR_TOKEN = 'fake-operator-token';

/** One request the fake received from an operator's client, as sent. */
export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  body: unknown;
}

/**
 * A FAKE Kubernetes API server (there is no cluster on the machines the tests run on). It answers:
 * - TokenReview (POST /apis/authentication.k8s.io/v1/tokenreviews) the way kube-apiserver does:
 *   a known token minted for one of the requested audiences is authenticated, and
 *   `status.audiences` echoes the audiences it matched;
 * - for an operator's token, lists, gets and merge patches of the objects a test `put`s, and a
 *   pod's `/metrics` through the API server's proxy; every such request is recorded, and paths
 *   a test `forbid`s answer 403 as RBAC would.
 */
export class FakeKubernetesApi {
  readonly reviews: { token: string; audiences: string[] }[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly objects = new FakeObjectStore();
  private readonly tokens = new Map<string, { username: string; audiences: string[] }>();
  private readonly proxied = new Map<string, string>();
  private readonly forbidden: { method: string; pathPrefix: string }[] = [];

  private readonly server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => this.answer(req.method ?? '', req.url ?? '', req.headers.authorization, body, res, req.headers['content-type']));
  });

  static async start(): Promise<FakeKubernetesApi> {
    const fake = new FakeKubernetesApi();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Mints a (fake) projected ServiceAccount token. */
  issue(token: string, serviceAccount: string, audiences: string[]): string {
    this.tokens.set(token, { username: serviceAccount, audiences });
    return token;
  }

  /** A client configured as a pod's in-cluster config would be, but pointing here. */
  client(): AuthenticationV1Api {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'fake', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'email', token: REVIEWER_TOKEN }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'email' }],
      currentContext: 'fake',
    });
    return kubeConfig.makeApiClient(AuthenticationV1Api);
  }

  /** Writes a kubeconfig file for an operator (OPERATOR_TOKEN) pointing here; returns its path. */
  writeKubeconfig(directory: string, namespace = 'default'): string {
    const file = join(directory, 'kubeconfig.yaml');
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      // client-node refuses plain http unless TLS checks are off; the fake has no TLS.
      clusters: [{ name: 'fake', cluster: { server: this.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'operator', user: { token: OPERATOR_TOKEN } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'operator', namespace } }],
      'current-context': 'fake',
    };
    writeFileSync(file, JSON.stringify(config)); // JSON is YAML
    return file;
  }

  /** What `GET /api/v1/namespaces/NS/pods/POD:PORT/proxy/PATH` answers. */
  proxy(namespace: string, podAndPort: string, path: string, text: string): void {
    this.proxied.set(`/api/v1/namespaces/${namespace}/pods/${podAndPort}/proxy/${path}`, text);
  }

  /** Answers 403 Forbidden, as RBAC would, to `method` on every path under `pathPrefix`. */
  forbid(method: string, pathPrefix: string): void {
    this.forbidden.push({ method, pathPrefix });
  }

  /** The recorded requests other than GETs: what the client changed. */
  changes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(method: string, url: string, authorization: string | undefined, body: string, res: ServerResponse, contentType?: string) {
    const json = (status: number, value: unknown) => sendJson(res, status, value);
    if (authorization === `Bearer ${OPERATOR_TOKEN}`) return this.answerOperator(method, url, body, res, contentType);
    if (authorization !== `Bearer ${REVIEWER_TOKEN}`) {
      return json(401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
    if (method !== 'POST' || url.split('?')[0] !== '/apis/authentication.k8s.io/v1/tokenreviews') {
      return json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
    }
    const review = JSON.parse(body) as { spec: { token: string; audiences?: string[] } };
    const requested = review.spec.audiences ?? ['https://kubernetes.default.svc'];
    this.reviews.push({ token: review.spec.token, audiences: requested });
    const known = this.tokens.get(review.spec.token);
    const matched = known ? requested.filter((a) => known.audiences.includes(a)) : [];
    const status =
      known && matched.length > 0
        ? {
            authenticated: true,
            user: { username: known.username, uid: 'fake-uid', groups: ['system:serviceaccounts'] },
            audiences: matched,
          }
        : { authenticated: false, error: known ? 'token audiences do not match' : 'invalid bearer token' };
    json(201, {
      kind: 'TokenReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: review.spec,
      status,
    });
  }

  private answerOperator(method: string, url: string, body: string, res: ServerResponse, contentType?: string) {
    const json = (status: number, value: unknown) => sendJson(res, status, value);
    const parsed = new URL(url, 'http://fake');
    const { searchParams } = parsed;
    const pathname = decodeURIComponent(parsed.pathname); // the client escapes the ':' of `pod:port`
    this.requests.push({ method, path: pathname, contentType, body: body ? JSON.parse(body) : undefined });
    if (this.forbidden.some((f) => f.method === method && pathname.startsWith(f.pathPrefix))) {
      return json(403, kubeStatus(403, 'Forbidden', `${method} ${pathname} is forbidden: User "operator" cannot do that (fake RBAC)`));
    }
    const proxied = this.proxied.get(pathname);
    if (method === 'GET' && proxied !== undefined) {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      return res.end(proxied);
    }
    const parts = pathname.split('/');
    // A collection path has an even number of parts after the API group prefix; try both readings.
    const asItem = { collection: parts.slice(0, -1).join('/'), name: parts.at(-1)! };
    if (method === 'GET') {
      const item = this.objects.get(asItem.collection, asItem.name);
      if (item) return json(200, item);
      const items = this.objects.list(pathname, searchParams.get('labelSelector'));
      if (items.length > 0 || /\/namespaces\/[^/]+\/[a-z]+$/.test(pathname))
        return json(200, { kind: 'List', apiVersion: 'v1', metadata: {}, items });
    }
    if (method === 'PATCH') {
      const patched = this.objects.patch(asItem.collection, asItem.name, JSON.parse(body));
      if (patched) return json(200, patched);
    }
    return json(404, kubeStatus(404, 'NotFound', `${pathname} not found`));
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}
