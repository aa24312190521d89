import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthenticationV1Api, KubeConfig } from '@kubernetes/client-node';

/** The token the called service itself presents to the API server (its own ServiceAccount's). */
export const REVIEWER_TOKEN = 'fake-email-service-account-token';

/**
 * A FAKE Kubernetes API server that answers only TokenReview
 * (POST /apis/authentication.k8s.io/v1/tokenreviews) the way kube-apiserver does: a known
 * token minted for one of the requested audiences is authenticated, and `status.audiences`
 * echoes the audiences it matched.
 */
export class FakeKubernetesApi {
  readonly reviews: { token: string; audiences: string[] }[] = [];
  private readonly tokens = new Map<string, { username: string; audiences: string[] }>();

  private readonly server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => this.answer(req.method ?? '', req.url ?? '', req.headers.authorization, body, res));
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

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(method: string, url: string, authorization: string | undefined, body: string, res: ServerResponse) {
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
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
}
