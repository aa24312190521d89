import { presentCredential, type ServiceCredential } from '../service-auth/service-credential.js';
import { RevocationFeedPage, type RevocationSource } from './revocation-feed.js';

/** auth's revocation feed over HTTP (`AUTH_INTERNAL_URL`), as a service caller. */
export class HttpRevocationSource implements RevocationSource {
  constructor(private readonly options: { baseUrl: string; credential: ServiceCredential; timeoutMs?: number }) {}

  async fetchAfter(cursor: string | undefined): Promise<RevocationFeedPage> {
    const url = new URL('/internal/revocations', this.options.baseUrl);
    if (cursor !== undefined) url.searchParams.set('after', cursor);
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${await presentCredential(this.options.credential)}` },
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 2_000),
    });
    if (response.status !== 200) throw new Error(`the revocation feed answered ${response.status}`);
    return RevocationFeedPage.parse(await response.json());
  }
}
