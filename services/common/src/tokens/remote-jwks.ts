import { createPublicKey, type KeyObject } from 'node:crypto';
import { JwksClient } from 'jwks-rsa';
import type { KeyResolver } from './keys.js';

/**
 * The auth service's JWKS, fetched over HTTP. jwks-rsa caches keys by `kid` and re-fetches on
 * an unknown one, rate-limited so a flood of forged `kid`s cannot hammer the auth service.
 */
export class RemoteJwksResolver implements KeyResolver {
  private readonly client: JwksClient;
  private readonly parsed = new Map<string, KeyObject>();

  constructor(jwksUri: string) {
    this.client = new JwksClient({
      jwksUri,
      cache: true,
      cacheMaxEntries: 10,
      cacheMaxAge: 10 * 60_000,
      rateLimit: true,
      jwksRequestsPerMinute: 12,
      timeout: 5_000,
    });
  }

  async resolve(kid: string): Promise<KeyObject | undefined> {
    const known = this.parsed.get(kid);
    if (known) return known;
    try {
      const signingKey = await this.client.getSigningKey(kid);
      const key = createPublicKey(signingKey.getPublicKey());
      this.parsed.set(kid, key);
      return key;
    } catch {
      return undefined; // unknown kid, or the JWKS is unreachable: either way the token is not verifiable
    }
  }
}
