import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Database } from '@merchant-platform/common/db/database';
import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import type { ServiceModule } from '@merchant-platform/common/http/app';
import type { Logger } from '@merchant-platform/common/logger';
import type { AccessTokenVerifier } from '@merchant-platform/common/tokens/access-token';
import type { RevocationPoller } from '@merchant-platform/common/tokens/revocation-poller';
import { rateLimiterFactory } from '@merchant-platform/common/rate-limit';
import { SequelizeApiKeyRepository } from './data/api-key-repository.js';
import { SequelizeMembershipRepository } from './data/membership-repository.js';
import { SequelizeMerchantRepository } from './data/merchant-repository.js';
import { merchantsMigrations } from './data/migrations/index.js';
import { MerchantAccess } from './domain/access.js';
import { ApiKeys } from './domain/api-keys.js';
import { MerchantProfiles } from './domain/merchant-profiles.js';
import { Teams } from './domain/memberships.js';
import type { PlatformEvent } from './domain/webhooks/event-types.js';
import type { Resolver } from './domain/webhooks/target-policy.js';
import type { TransactionHandle, WebhookEndpoint } from './domain/webhooks/webhook.js';
import type { WebhookDispatcher } from './domain/webhooks/webhook-dispatcher.js';
import { merchantRoutes } from './http/routes.js';
import { webhookEnvShape, type WebhookSettings } from './webhooks-config.js';
import { createWebhooks } from './webhooks-wiring.js';

export interface MerchantsDependencies {
  db: Database;
  logger: Logger;
  openapi: OpenAPIRegistry;
  verifier: AccessTokenVerifier;
  /** Keeps the verifier's revocation list current (standalone: polling auth over HTTP). */
  revocations?: RevocationPoller | undefined;
  /** How old a sign-in may be for *recent* routes (the auth service's STEP_UP_MAX_AGE_SECONDS; 600 by default). */
  stepUpMaxAgeSeconds?: number | undefined;
  /** Requests one API key may make per minute (RATE_LIMIT_API_KEY_PER_MINUTE; 600 by default). */
  apiKeyRatePerMinute?: number | undefined;
  /** The WEBHOOK_* settings; defaults as documented, and a per-process key when none is given (not in production: config requires one). */
  webhooks?: Partial<WebhookSettings> | undefined;
  /** Tests play DNS for the webhook target policy with this. */
  resolveHost?: Resolver | undefined;
  /** An endpoint was disabled after failing for 3 days: the lead wires this to the event recorder. */
  onWebhookEndpointDisabled?: ((endpoint: WebhookEndpoint) => Promise<void> | void) | undefined;
}

export interface MerchantsModule extends ServiceModule {
  /**
   * For the event pipeline, inside the transaction that records a merchant event: queues one
   * delivery per enabled endpoint of that merchant subscribed to the type (or `*`).
   */
  enqueueWebhookDeliveries: (event: PlatformEvent, options?: { transaction?: TransactionHandle }) => Promise<number>;
  webhookDispatcher: WebhookDispatcher;
}

/** The merchants service as a module: served alone (main.ts) or beside the others (all-in-one). */
export function createMerchantsModule(deps: MerchantsDependencies): MerchantsModule {
  const migrator = new SchemaMigrator(deps.db, 'merchants', merchantsMigrations, deps.logger);
  const merchants = new SequelizeMerchantRepository(deps.db.sequelize);
  const memberships = new SequelizeMembershipRepository(deps.db.sequelize);
  const keys = new ApiKeys(new SequelizeApiKeyRepository(deps.db.sequelize));
  const keyLimiter = rateLimiterFactory(
    deps.db,
    'merchants_rate_limits',
  )({
    name: 'api-key',
    points: deps.apiKeyRatePerMinute ?? 600,
    durationSeconds: 60,
  });
  const { webhooks, dispatcher } = createWebhooks({
    db: deps.db,
    logger: deps.logger,
    settings: webhookSettings(deps),
    resolve: deps.resolveHost,
    onEndpointDisabled: deps.onWebhookEndpointDisabled,
  });
  const useCases = {
    profiles: new MerchantProfiles(merchants),
    teams: new Teams(merchants, memberships),
    access: new MerchantAccess(memberships, deps.stepUpMaxAgeSeconds ?? 600, keys, keyLimiter),
    keys,
    webhooks,
  };
  return {
    name: 'merchants',
    api: merchantRoutes(deps.openapi, useCases, deps.verifier),
    readiness: [{ name: 'merchants-database', check: () => migrator.assertCurrent() }],
    start: () => {
      deps.revocations?.start();
      dispatcher.start();
    },
    stop: async () => {
      await Promise.all([deps.revocations?.stop(), dispatcher.stop()]);
    },
    enqueueWebhookDeliveries: (event, options) => webhooks.enqueueDeliveries(event, options),
    webhookDispatcher: dispatcher,
  };
}

function webhookSettings(deps: MerchantsDependencies): WebhookSettings {
  const defaults = z.object(webhookEnvShape).parse({});
  const given = deps.webhooks ?? {};
  if (!given.WEBHOOK_SECRET_KEY)
    deps.logger.warn('no WEBHOOK_SECRET_KEY: webhook secrets are sealed with a key that ends with this process');
  return { ...defaults, ...given, WEBHOOK_SECRET_KEY: given.WEBHOOK_SECRET_KEY ?? randomBytes(32).toString('base64url') };
}

export { merchantsMigrations };
