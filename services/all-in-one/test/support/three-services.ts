import { SigningKeys } from '@merchant-platform/auth/domain/signing-keys';
import { freePort } from '@merchant-platform/common/testing/ports';
import { openDatabase } from '@merchant-platform/common/db/database';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { spawnReadyService, type SpawnedService } from '@merchant-platform/common/testing/processes';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { migrateAll } from '../../src/platform.js';

export type RunningService = SpawnedService & { base: string };

/**
 * auth, merchants and email as three processes on one fresh database (SQLite file or MariaDB),
 * each reaching the others over HTTP with the service token, as in Kubernetes. The signing key
 * is the test's, so it can mint a token as auth would have at another time.
 */
export async function startThreeServices(serviceToken: string) {
  const testDb: TestDatabase = await createTestDatabase();
  // Applied here rather than by three more processes: the services' own migrate.ts run the same migrations.
  const db = await openDatabase(testDb.url);
  await migrateAll({ db, logger: captureLogs().logger });
  await db.close();
  const [authPort, merchantsPort, emailPort] = [await freePort(), await freePort(), await freePort()];
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const common = { DATABASE_URL: testDb.url, SERVICE_TOKEN: serviceToken, LOG_LEVEL: 'info' };
  const signingKey = SigningKeys.generatePem();
  // Three tsx start-ups on a shared two-core machine can take a while.
  const slowStart = { timeoutMs: 120_000 };
  // Started together: none needs another to become ready, only to answer later requests.
  const [email, auth, merchants] = await Promise.all([
    spawnReadyService(['services/email/src/main.ts'], { ...common, EMAIL_TRANSPORT: 'log' }, emailPort, slowStart),
    spawnReadyService(
      ['services/auth/src/main.ts'],
      {
        ...common,
        BCRYPT_COST: '10',
        // Every account of a suite registers from 127.0.0.1.
        RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR: '1000',
        JWT_PRIVATE_KEY: signingKey,
        PASSWORD_PEPPER: 'a-shared-pepper-of-at-least-32-characters',
        EMAIL_SERVICE_URL: url(emailPort),
        MERCHANTS_SERVICE_URL: url(merchantsPort),
      },
      authPort,
      slowStart,
    ),
    spawnReadyService(
      ['services/merchants/src/main.ts'],
      { ...common, JWKS_URL: `${url(authPort)}/auth/.well-known/jwks.json`, AUTH_INTERNAL_URL: url(authPort) },
      merchantsPort,
      slowStart,
    ),
  ]);
  return {
    testDb,
    auth,
    merchants,
    email,
    keys: new SigningKeys(signingKey),
    async stop() {
      for (const service of [merchants, auth, email]) {
        service.child.kill('SIGTERM');
        await service.exited;
      }
      await testDb.drop();
    },
  };
}
