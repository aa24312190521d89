import assert from 'node:assert/strict';
import { join } from 'node:path';
import { freePort } from '@merchant-platform/common/testing/ports';
import { spawnNode, spawnReadyService, type SpawnedService } from '@merchant-platform/common/testing/processes';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { buildProductionTrees } from '../../k8s/support/build.js';

export type RunningService = SpawnedService & { base: string };

/** The token the services share (token mode); a test presents it to call email as auth does. */
export const SERVICE_TOKEN = 'a-test-service-token-of-32-characters';

/**
 * auth, email and (optionally) merchants as separate processes, each on its own fresh database
 * (SQLite, or a schema on the MySQL server of DATABASE_URL) migrated by its own migrate.js, wired
 * as in the cluster: auth hands mail to email, merchants reads auth's JWKS and revocation feed.
 * Each runs from its production tree as its image runs it: main.js is the bundle (tools/bundle.ts),
 * so what is tested here (tracing's hooks above all) is what ships.
 */
export class PlatformProcesses {
  readonly services: Record<string, RunningService> = {};
  private readonly databases: TestDatabase[] = [];

  constructor(private readonly extraEnv: (service: string) => Record<string, string> = () => ({})) {}

  async start(names: ('email' | 'auth' | 'merchants')[], env: Record<string, Record<string, string>> = {}): Promise<void> {
    const trees = buildProductionTrees();
    for (const name of names) {
      const dist = join(trees, name, 'services', name, 'dist');
      const database = await createTestDatabase();
      this.databases.push(database);
      const migrate = spawnNode([join(dist, 'migrate.js')], { DATABASE_URL: database.url }, { fromSource: false });
      assert.equal(await migrate.exited, 0, migrate.output());
      this.services[name] = await spawnReadyService(
        [join(dist, 'main.js')],
        { DATABASE_URL: database.url, SERVICE_TOKEN, LOG_LEVEL: 'info', ...this.wiring(name), ...this.extraEnv(name), ...env[name] },
        await freePort(),
        { timeoutMs: 60_000, fromSource: false },
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
