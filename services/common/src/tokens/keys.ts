import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

export interface PublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

/** RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order. */
export function jwkThumbprint(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || !jwk.n || !jwk.e) throw new Error('only RSA keys are supported');
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function toPublicJwk(publicKey: KeyObject): PublicJwk {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || !jwk.n || !jwk.e) throw new Error('only RSA keys are supported');
  return { kty: 'RSA', n: jwk.n, e: jwk.e, kid: jwkThumbprint(publicKey), alg: 'RS256', use: 'sig' };
}

/** Splits a string holding one or more PEM public keys (or certificates' keys) into KeyObjects. */
export function parsePublicKeys(pems: string | undefined): KeyObject[] {
  if (!pems) return [];
  const blocks = pems.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? [];
  return blocks.map((pem) => createPublicKey(pem));
}

/** Where a verifier finds the public key for a `kid`. */
export interface KeyResolver {
  resolve(kid: string): Promise<KeyObject | undefined>;
}

/** Keys known in-process: the auth service itself and all-in-one mode. */
export class StaticKeyResolver implements KeyResolver {
  private readonly keys = new Map<string, KeyObject>();
  constructor(publicKeys: KeyObject[]) {
    for (const key of publicKeys) this.keys.set(jwkThumbprint(key), key);
  }
  async resolve(kid: string): Promise<KeyObject | undefined> {
    return this.keys.get(kid);
  }
}
