import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { SigningKeys } from '../src/domain/signing-keys.js';

describe('signing keys', () => {
  it('names each key by its RFC 7638 thumbprint', () => {
    const keys = new SigningKeys(SigningKeys.generatePem());
    const jwk = createPublicKey(keys.privateKey).export({ format: 'jwk' });
    const expected = createHash('sha256')
      .update(JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n }))
      .digest('base64url');
    assert.equal(keys.kid, expected);
  });

  it('keeps retired public keys in the JWKS so tokens they signed still verify after a rotation', async () => {
    const old = new SigningKeys(SigningKeys.generatePem());
    const oldPublicPem = old.publicKeys[0]!.export({ type: 'spki', format: 'pem' }).toString();
    const rotated = new SigningKeys(SigningKeys.generatePem(), oldPublicPem);
    assert.deepEqual(
      rotated.jwks().keys.map((k) => k.kid),
      [rotated.kid, old.kid],
    );
    const tokenFromBefore = jwt.sign({ sub: 'u' }, old.privateKey, { algorithm: 'RS256', keyid: old.kid });
    const key = await rotated.resolver().resolve(old.kid);
    assert.ok(key);
    assert.equal((jwt.verify(tokenFromBefore, key, { algorithms: ['RS256'] }) as jwt.JwtPayload).sub, 'u');
  });

  it('publishes the next key of a rotation in the JWKS while the current key keeps signing', async () => {
    const next = new SigningKeys(SigningKeys.generatePem());
    const nextPublicPem = next.publicKeys[0]!.export({ type: 'spki', format: 'pem' }).toString();
    const current = new SigningKeys(SigningKeys.generatePem(), undefined, nextPublicPem);
    assert.deepEqual(
      current.jwks().keys.map((k) => k.kid),
      [current.kid, next.kid],
    );
    assert.notEqual(current.kid, next.kid);
    const tokenFromNext = jwt.sign({ sub: 'u' }, next.privateKey, { algorithm: 'RS256', keyid: next.kid });
    const key = await current.resolver().resolve(next.kid);
    assert.equal((jwt.verify(tokenFromNext, key!, { algorithms: ['RS256'] }) as jwt.JwtPayload).sub, 'u');
  });

  it('refuses a next key that holds more than one public key', () => {
    const pem = (keys: SigningKeys) => keys.publicKeys[0]!.export({ type: 'spki', format: 'pem' }).toString();
    const two = pem(new SigningKeys(SigningKeys.generatePem())) + pem(new SigningKeys(SigningKeys.generatePem()));
    assert.throws(() => new SigningKeys(SigningKeys.generatePem(), undefined, two), /JWT_NEXT_PUBLIC_KEY must hold one public key/);
  });

  it('refuses a key that is not RSA', () => {
    const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(() => new SigningKeys(ecPem), /RSA/);
  });
});
