import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { jwkThumbprint, parsePublicKeys, StaticKeyResolver, toPublicJwk, type PublicJwk } from '@merchant-platform/common/tokens/keys';

/**
 * The RS256 key that signs access tokens, plus public keys that are published without signing:
 * the *next* key of a rotation in progress (published before it signs, so every verifier's JWKS
 * cache knows it by the time it does) and retired keys (kept so tokens signed before a rotation
 * keep verifying until they expire).
 */
export class SigningKeys {
  readonly privateKey: KeyObject;
  readonly kid: string;
  readonly publicKeys: KeyObject[];

  constructor(privateKeyPem: string, retiredPublicKeysPem?: string, nextPublicKeyPem?: string) {
    this.privateKey = createPrivateKey(privateKeyPem);
    if (this.privateKey.asymmetricKeyType !== 'rsa') throw new Error('JWT_PRIVATE_KEY must be an RSA key');
    const current = createPublicKey(this.privateKey);
    this.kid = jwkThumbprint(current);
    const next = parsePublicKeys(nextPublicKeyPem);
    if (next.length > 1) throw new Error('JWT_NEXT_PUBLIC_KEY must hold one public key');
    const published = new Set([this.kid]);
    const others = [...next, ...parsePublicKeys(retiredPublicKeysPem)].filter((key) => {
      const kid = jwkThumbprint(key);
      if (published.has(kid)) return false;
      published.add(kid);
      return true;
    });
    this.publicKeys = [current, ...others];
  }

  /** A fresh key for development when none is configured (production requires one). */
  static generatePem(): string {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  jwks(): { keys: PublicJwk[] } {
    return { keys: this.publicKeys.map(toPublicJwk) };
  }

  /** Verifies tokens in-process (auth itself, all-in-one mode) without fetching the JWKS. */
  resolver(): StaticKeyResolver {
    return new StaticKeyResolver(this.publicKeys);
  }
}
