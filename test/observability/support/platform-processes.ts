import assert from 'node:assert/strict';
import { freePort } from '@merchant-platform/common/testing/ports';
import { spawnNode, spawnReadyService, type SpawnedService } from '@merchant-platform/common/testing/processes';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';

export type RunningService = SpawnedService & { base: string };

/** The token the services share (token mode); a test presents it to call email as auth does. */
export const SERVICE_TOKEN = 'a-test-service-token-of-32-characters';

/**
 * auth, email and (optionally) merchants as separate processes, each on its own fresh database
 * (SQLite, or a schema on the MySQL server of DATABASE_URL) migrated by its own migrate.ts, wired
 * as in the cluster: auth hands mail to email, merchants reads auth's JWKS and revocation feed.
 */
export class PlatformProcesses {
  readonly services: Record<string, RunningService> = {};
  private readonly databases: TestDatabase[] = [];

  constructor(private readonly extraEnv: (service: string) => Record<string, string> = () => ({})) {}

  async start(names: ('email' | 'auth' | 'merchants')[], env: Record<string, Record<string, string>> = {}): Promise<void> {
    for (const name of names) {
      const database = await createTestDatabase();
      this.databases.push(database);
      const migrate = spawnNode([`services/${name}/src/migrate.ts`], { DATABASE_URL: database.url });
      assert.equal(await migrate.exited, 0, migrate.output());
      this.services[name] = await spawnReadyService(
        [`services/${name}/src/main.ts`],
        { DATABASE_URL: database.url, SERVICE_TOKEN, LOG_LEVEL: 'info', ...this.wiring(name), ...this.extraEnv(name), ...env[name] },
        await freePort(),
        // Generous: the start-up of a tsx process on a busy 2-core machine takes many seconds.
        { timeoutMs: 90_000 },
      );
    }
  }

  async stop(): Promise<void> {
    for (const service of Object.values(this.services)) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    for (const database of this.databases) await database.drop();
  }

  private wiring(name: string): Record<string, string> {
    if (name === 'auth') return { BCRYPT_COST: '10', ...(this.services.email ? { EMAIL_SERVICE_URL: this.services.email.base } : {}) };
    if (name === 'merchants' && this.services.auth) {
      return { JWKS_URL: `${this.services.auth.base}/auth/.well-known/jwks.json`, AUTH_INTERNAL_URL: this.services.auth.base };
    }
    return {};
  }
}
