import { freePort } from '@merchant-platform/common/testing/ports';
import { spawnReadyService, type SpawnedService } from '@merchant-platform/common/testing/processes';

/** The webhook secret key shared by the test's module and its dispatcher process. */
export const KEY = Buffer.alloc(32, 9).toString('base64');

/**
 * The dispatcher as it runs in production: merchants' own process (main.ts), here started with
 * NODE_EXTRA_CA_CERTS so it trusts the receiver's certificate, on the test's database.
 */
export async function startDispatcherProcess(databaseUrl: string, caFile: string): Promise<SpawnedService & { base: string }> {
  return spawnReadyService(
    ['services/merchants/src/main.ts'],
    {
      DATABASE_URL: databaseUrl,
      // Never fetched: these tests make no authenticated request to the child.
      JWKS_URL: 'http://127.0.0.1:9/auth/.well-known/jwks.json',
      NODE_EXTRA_CA_CERTS: caFile,
      WEBHOOK_SECRET_KEY: KEY,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_RETRY_BASE_MS: '300',
      WEBHOOK_POLL_INTERVAL_MS: '100',
      WEBHOOK_BATCH_SIZE: '10',
      WEBHOOK_TIMEOUT_MS: '4000',
      LOG_LEVEL: 'info',
    },
    await freePort(),
    // Generous: several engineers' test runs share this machine's two cores.
    { timeoutMs: 60_000 },
  );
}
