import { createHash } from 'node:crypto';
import { AuthenticationV1Api, KubeConfig } from '@kubernetes/client-node';
import { forbidden, invalidToken, unavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ServiceAuthenticator, ServiceCaller } from './service-authenticator.js';

export interface TokenReviewOptions {
  /** The audience the callers' projected tokens are minted for (this service's name: `email`, `auth`). */
  audience: string;
  /** `system:serviceaccount:<namespace>:<name>` identities allowed to call this service. */
  allowedServiceAccounts: string[];
  /** How long a positive review is reused; bounds how long a revoked token keeps working. */
  cacheTtlMs?: number;
}

const MAX_TOKEN_LENGTH = 8_192;
const MAX_CACHED = 1_000;

/**
 * A caller's projected ServiceAccount token, checked with the Kubernetes TokenReview API
 * (the called service's own ServiceAccount needs `create` on `tokenreviews`, i.e. the
 * `system:auth-delegator` ClusterRole). Only tokens for our audience, belonging to an
 * allow-listed ServiceAccount, are accepted.
 */
export class TokenReviewAuthenticator implements ServiceAuthenticator {
  private readonly allowed: Set<string>;
  private readonly cache = new Map<string, { caller: string; expiresAt: number }>();

  constructor(
    private readonly api: AuthenticationV1Api,
    private readonly options: TokenReviewOptions,
    private readonly logger: Logger,
  ) {
    this.allowed = new Set(options.allowedServiceAccounts);
  }

  /** In a pod: the API server and the pod's own token from the in-cluster configuration. */
  static inCluster(options: TokenReviewOptions, logger: Logger): TokenReviewAuthenticator {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromDefault();
    return new TokenReviewAuthenticator(kubeConfig.makeApiClient(AuthenticationV1Api), options, logger);
  }

  async authenticate(bearer: string): Promise<ServiceCaller> {
    if (bearer.length > MAX_TOKEN_LENGTH) throw invalidToken('The service credential is not valid.');
    const key = createHash('sha256').update(bearer).digest('base64url');
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now()) return { caller: cached.caller };

    let review;
    try {
      review = await this.api.createTokenReview({
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: bearer, audiences: [this.options.audience] } },
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'TokenReview request failed');
      throw unavailable('Service authentication is unavailable; try again shortly.');
    }
    const status = review.status;
    const username = status?.user?.username;
    // An audience-aware API server echoes the audience it matched; no echo means the token was
    // checked against the API server's own audience, which is not ours.
    if (!status?.authenticated || !username || !(status.audiences ?? []).includes(this.options.audience)) {
      throw invalidToken('The service credential is not valid.');
    }
    if (!this.allowed.has(username)) throw forbidden('This service account may not call this service.');

    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(key, { caller: username, expiresAt: Date.now() + (this.options.cacheTtlMs ?? 60_000) });
    return { caller: username };
  }
}
