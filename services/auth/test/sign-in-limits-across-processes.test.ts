import assert from 'node:assert/strict';
import { NEEDS_MYSQL, skipBecause } from '@merchant-platform/common/testing/skip';
import { openDatabase } from '@merchant-platform/common/db/database';
import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import { request } from '@merchant-platform/common/testing/http-server';
import { freePort } from '@merchant-platform/common/testing/ports';
import { spawnReadyService, type SpawnedService } from '@merchant-platform/common/testing/processes';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { authMigrations } from '../src/app.js';
import { STRONG_PASSWORD, tally } from './support.js';

/** Two auth processes on one MySQL database: the limits live in its table, not in either process. */
describe('sign-in guess limits across two auth processes', function () {
  let testDb: TestDatabase;
  const services: (SpawnedService & { base: string })[] = [];

  before(async function () {
    if (!/^(mysql|mariadb):/.test(process.env.DATABASE_URL ?? '')) skipBecause(this, NEEDS_MYSQL);
    this.timeout(60_000);
    testDb = await createTestDatabase();
    const db = await openDatabase(testDb.url);
    await new SchemaMigrator(db, 'auth', authMigrations).up();
    await db.close();
    const env = {
      DATABASE_URL: testDb.url,
      BCRYPT_COST: '10',
      PASSWORD_PEPPER: 'a-shared-pepper-of-at-least-32-characters',
      RATE_LIMIT_TOKEN_FAILURES_PER_ACCOUNT: '10',
      LOG_LEVEL: 'warn',
    };
    for (let i = 0; i < 2; i++) services.push(await spawnReadyService(['services/auth/src/main.ts'], env, await freePort()));
  });
  after(async () => {
    for (const service of services) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await testDb?.drop();
  });

  it('evaluates exactly the limit of 50 concurrent wrong guesses split between the processes', async () => {
    const [first, second] = services;
    const registered = await request(first!.base, 'POST', '/auth/register', {
      json: {
        email: 'shared@example.com',
        password: STRONG_PASSWORD,
        confirm_password: STRONG_PASSWORD,
        first_name: 'Sam',
        last_name: 'Shared',
      },
    });
    assert.equal(registered.status, 201, registered.text);

    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        request((i % 2 ? first : second)!.base, 'POST', '/auth/token', {
          json: { email: 'shared@example.com', password: 'Wrong-Horse1!' },
        }),
      ),
    );
    assert.deepEqual(tally(answers.map((a) => a.status)), { 401: 10, 429: 40 });
    assert.equal(
      (await request(second!.base, 'POST', '/auth/token', { json: { email: 'shared@example.com', password: STRONG_PASSWORD } })).status,
      429,
    );
  });
});
