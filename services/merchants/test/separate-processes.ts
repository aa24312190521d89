import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { freePort } from '@merchant-platform/common/testing/ports';
import { spawnNode, spawnReadyService, type SpawnedService } from '@merchant-platform/common/testing/processes';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import type { createTestTokens } from '@merchant-platform/common/testing/test-tokens';

export type RunningService = SpawnedService & { base: string };

/** Applies one service's migrations as its own process, as the Helm pre-upgrade Job does. */
export async function migrate(service: string, databaseUrl: string): Promise<void> {
  const run = spawnNode([`services/${service}/src/migrate.ts`], { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' });
  assert.equal(await run.exited, 0, run.output());
}

/** Publishes the test signer's public key as a JWKS on loopback, for merchants processes to verify its tokens. */
export async function serveJwks(tokens: ReturnType<typeof createTestTokens>): Promise<{ server: Server; url: string }> {
  const jwk = { ...tokens.publicKey.export({ format: 'jwk' }), kid: tokens.kid, alg: 'RS256', use: 'sig' };
  const server = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${port}/jwks.json` };
}

/**
 * auth and merchants as two processes on one fresh database, merchants reading auth's keys and
 * revocation feed over HTTP, as in Kubernetes. `authEnv` adds to auth's environment.
 */
export async function startAuthAndMerchants(serviceToken: string, authEnv: Record<string, string> = {}) {
  const testDb: TestDatabase = await createTestDatabase();
  await migrate('auth', testDb.url);
  await migrate('merchants', testDb.url);
  const auth = await spawnReadyService(
    ['services/auth/src/main.ts'],
    { DATABASE_URL: testDb.url, BCRYPT_COST: '10', SERVICE_TOKEN: serviceToken, LOG_LEVEL: 'info', ...authEnv },
    await freePort(),
  );
  const merchants = await spawnReadyService(
    ['services/merchants/src/main.ts'],
    {
      DATABASE_URL: testDb.url,
      JWKS_URL: `${auth.base}/auth/.well-known/jwks.json`,
      AUTH_INTERNAL_URL: auth.base,
      SERVICE_TOKEN: serviceToken,
      LOG_LEVEL: 'info',
    },
    await freePort(),
  );
  return {
    testDb,
    auth,
    merchants,
    async stop() {
      for (const service of [merchants, auth]) {
        service.child.kill('SIGTERM');
        await service.exited;
      }
      await testDb.drop();
    },
  };
}
