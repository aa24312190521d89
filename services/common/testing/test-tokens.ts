import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { jwkThumbprint, StaticKeyResolver } from '../src/tokens/keys.js';
import { AccessTokenVerifier, type AccessTokenClaims } from '../src/tokens/access-token.js';

export const TEST_ISSUER = 'merchant-platform';
export const TEST_AUDIENCE = 'merchant-platform';

/**
 * A real RS256 key pair and signer for services that only verify tokens (merchants, email),
 * so their tests can present the same tokens the auth service would issue.
 */
export function createTestTokens() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = jwkThumbprint(publicKey);
  const verifier = new AccessTokenVerifier(new StaticKeyResolver([publicKey]), {
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
  });
  const sign = (claims: Partial<AccessTokenClaims> = {}, key: KeyObject = privateKey) => {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: TEST_ISSUER,
      aud: TEST_AUDIENCE,
      sub: randomUUID(),
      iat: now,
      exp: now + 900,
      jti: randomUUID(),
      email: 'merchant@example.com',
      email_verified: true,
      name: 'Ada Lovelace',
      roles: ['merchant'],
      auth_method: 'password' as const,
      ...claims,
    };
    return jwt.sign(payload, key, { algorithm: 'RS256', keyid: kid });
  };
  return { privateKey, publicKey, kid, verifier, sign };
}
