import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { jwkThumbprint, parsePublicKeys, StaticKeyResolver, toPublicJwk, type PublicJwk } from '@merchant-platform/common/tokens/keys';

/**
 * The RS256 key that signs access tokens, plus retired public keys that stay in the JWKS so
 * tokens signed before a rotation keep verifying until they expire.
 */
export class SigningKeys {
  readonly privateKey: KeyObject;
  readonly kid: string;
  readonly publicKeys: KeyObject[];

  constructor(privateKeyPem: string, retiredPublicKeysPem?: string) {
    this.privateKey = createPrivateKey(privateKeyPem);
    if (this.privateKey.asymmetricKeyType !== 'rsa') throw new Error('JWT_PRIVATE_KEY must be an RSA key');
    const current = createPublicKey(this.privateKey);
    this.kid = jwkThumbprint(current);
    const retired = parsePublicKeys(retiredPublicKeysPem).filter((key) => jwkThumbprint(key) !== this.kid);
    this.publicKeys = [current, ...retired];
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
