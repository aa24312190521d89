import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessTokenVerifier } from '@merchant-platform/common/tokens/access-token';
import { toPublicJwk } from '@merchant-platform/common/tokens/keys';
import { RemoteJwksResolver } from '@merchant-platform/common/tokens/remote-jwks';
import { createTestTokens, TEST_AUDIENCE, TEST_ISSUER } from '@merchant-platform/common/testing/test-tokens';

describe('verifying tokens against a remote JWKS', () => {
  const current = createTestTokens();
  const next = createTestTokens();
  let published = [current];
  let fetches = 0;
  let server: Server;
  let verifier: AccessTokenVerifier;

  before(async () => {
    server = createServer((_req, res) => {
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: published.map((k) => toPublicJwk(k.publicKey)) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    verifier = new AccessTokenVerifier(new RemoteJwksResolver(`http://127.0.0.1:${port}/auth/.well-known/jwks.json`), {
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
    });
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches the keys once and serves later verifications from its cache', async () => {
    const claims = await verifier.verify(current.sign({ sub: 'user-1' }));
    assert.equal(claims.sub, 'user-1');
    const before = fetches;
    for (let i = 0; i < 20; i++) await verifier.verify(current.sign());
    assert.equal(fetches, before);
  });

  it('re-fetches on an unknown kid, so a rotated-in key verifies without a restart', async () => {
    published = [next, current];
    const claims = await verifier.verify(next.sign({ sub: 'user-2' }));
    assert.equal(claims.sub, 'user-2');
  });

  it('limits re-fetches when a flood of tokens carries unknown kids', async () => {
    const stranger = createTestTokens();
    const before = fetches;
    for (let i = 0; i < 50; i++) {
      await assert.rejects(verifier.verify(stranger.sign()), (error: { code?: string }) => error.code === 'invalid_token');
    }
    assert.ok(fetches - before <= 12, `${fetches - before} fetches for 50 unknown-kid tokens`);
  });
});
