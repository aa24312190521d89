import { AppError, unavailable } from '@merchant-platform/common/errors';
import { presentCredential, type ServiceCredential } from '@merchant-platform/common/service-auth/service-credential';
import type { EmailPart, MerchantsPart, UserDataPeers } from '../domain/user-data-peers.js';

export interface HttpPeer {
  /** Base URL of the service, e.g. http://merchants:8080 */
  baseUrl: string;
  /** What auth presents to it (the shared secret, or a projected token for its audience). */
  credential: ServiceCredential;
}

/** Merchants' and email's internal routes, as a service caller. */
export class HttpUserDataPeers implements UserDataPeers {
  constructor(
    private readonly peers: { merchants: HttpPeer; email: HttpPeer },
    private readonly timeoutMs = 5_000,
  ) {}

  merchantsDataOf(userId: string): Promise<MerchantsPart> {
    return this.call(this.peers.merchants, 'GET', `/internal/users/${encodeURIComponent(userId)}/export`) as Promise<MerchantsPart>;
  }

  emailsTo(address: string): Promise<EmailPart> {
    return this.call(this.peers.email, 'GET', `/internal/recipients/export?address=${encodeURIComponent(address)}`) as Promise<EmailPart>;
  }

  async admitDeparture(userId: string): Promise<void> {
    await this.call(this.peers.merchants, 'POST', `/internal/users/${encodeURIComponent(userId)}/departure`);
  }

  async withdrawDeparture(userId: string): Promise<void> {
    await this.call(this.peers.merchants, 'DELETE', `/internal/users/${encodeURIComponent(userId)}/departure`);
  }

  /** The JSON answer of a 2xx; the peer's 409 as the same AppError; anything else (a refused credential included) 503. */
  private async call(peer: HttpPeer, method: string, path: string): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(new URL(path, peer.baseUrl), {
        method,
        headers: { authorization: `Bearer ${await presentCredential(peer.credential)}` },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw unavailable('Another service did not answer; try again shortly.');
    }
    if (response.status === 204) return undefined;
    const body = (await response.json().catch(() => undefined)) as { error?: { code: string; message: string; details?: [] } } | undefined;
    if (response.ok) return body;
    if (response.status === 409 && body?.error) {
      throw new AppError(409, body.error.code, body.error.message, body.error.details ? { details: body.error.details } : {});
    }
    throw unavailable('Another service could not answer; try again shortly.');
  }
}
