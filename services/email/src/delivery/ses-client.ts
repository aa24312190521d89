import type { SESClient } from '@aws-sdk/client-ses';

export interface SesClientSettings {
  region: string | undefined;
  /** An SES-compatible endpoint (an emulator); the AWS endpoint for the region when unset. */
  endpoint?: string | undefined;
  timeoutMs: number;
}

/**
 * An SES (v1 API) client with credentials from the SDK's default chain (environment, web
 * identity / IRSA, instance profile...). The SDK's own retries are off: the dispatcher retries
 * with its own back-off and counts every attempt in the row.
 */
export async function createSesClient(settings: SesClientSettings): Promise<SESClient> {
  const { SESClient } = await import('@aws-sdk/client-ses');
  return new SESClient({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: Math.min(settings.timeoutMs, 5_000),
      requestTimeout: settings.timeoutMs,
      // Without it the SDK only warns and waits on: a hung call could outlive its lease.
      throwOnRequestTimeout: true,
    },
  });
}
