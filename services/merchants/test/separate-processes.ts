import assert from 'node:assert/strict';
import { freePort } from '@merchant-platform/common/testing/ports';
import { spawnNode, spawnReadyService, type SpawnedService } from '@merchant-platform/common/testing/processes';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';

export type RunningService = SpawnedService & { base: string };

/** Applies one service's migrations as its own process, as the Helm pre-upgrade Job does. */
export async function migrate(service: string, databaseUrl: string): Promise<void> {
  const run = spawnNode([`services/${service}/src/migrate.ts`], { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' });
  assert.equal(await run.exited, 0, run.output());
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
