import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import type { ServiceModule } from '@merchant-platform/common/http/app';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { createMetrics } from '@merchant-platform/common/metrics';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { serveModules } from '@merchant-platform/common/testing/test-app';
import { SigningKeys } from '@merchant-platform/auth/domain/signing-keys';
import { createPlatformModules, migrateAll, type PlatformOptions } from '../src/platform.js';

/** The whole platform as all-in-one mode builds it (migrated, served, background work started) on `databaseUrl`. */
export async function servePlatform(
  databaseUrl: string,
  options: Omit<PlatformOptions, 'jwtPrivateKey'>,
): Promise<{ url: string; db: Database; modules: ServiceModule[]; close(): Promise<void> }> {
  const db = await openDatabase(databaseUrl);
  const logs = captureLogs();
  const ctx = { db, logger: logs.logger, metrics: createMetrics(), openapi: createOpenApiRegistry() };
  await migrateAll(ctx);
  const modules = createPlatformModules(ctx, { jwtPrivateKey: SigningKeys.generatePem(), ...options });
  const server = await serveModules({ modules, openapi: ctx.openapi, logger: ctx.logger, overrides: { metrics: ctx.metrics } });
  modules.forEach((m) => m.start?.());
  return {
    url: server.url,
    db,
    modules,
    close: async () => {
      await server.close();
      await Promise.all(modules.map((m) => m.stop?.()));
      await db.close();
    },
  };
}
