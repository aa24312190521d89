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
import { merchantRoutes } from './http/routes.js';
import { merchantEventPipeline } from './merchant-events.js';
import type { EraseUserData } from './domain/user-events.js';
import { eventConsumerRoutes } from '@merchant-platform/common/events/consumer-routes';
import type { ServiceAuthenticator } from '@merchant-platform/common/service-auth/service-authenticator';
import { serviceAuthWithDefaults, type ServiceAuthSettings } from '@merchant-platform/common/service-auth/config';
import { createServiceAuthenticator } from '@merchant-platform/common/service-auth/from-config';

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
  /** Who may call the internal routes (auth); without them every caller is refused (token mode, no SERVICE_TOKEN). */
  serviceAuth?: Partial<ServiceAuthSettings>;
  /** Defaults to the one `serviceAuth` selects. */
  serviceAuthenticator?: ServiceAuthenticator;
  /** What `user.deleted` calls (domain/user-erasure.ts); a stand-in removes memberships until it is wired. */
  eraseUserData?: EraseUserData;
}

export interface MerchantsModule extends ServiceModule {
  /** The recorder (listeners run in its transactions: the webhooks fan-out), the log, and the consumer of auth's events. */
  events: ReturnType<typeof merchantEventPipeline>;
}

/** The merchants service as a module: served alone (main.ts) or beside the others (all-in-one). */
export function createMerchantsModule(deps: MerchantsDependencies): MerchantsModule {
  const migrator = new SchemaMigrator(deps.db, 'merchants', merchantsMigrations, deps.logger);
  const merchants = new SequelizeMerchantRepository(deps.db.sequelize);
  const memberships = new SequelizeMembershipRepository(deps.db.sequelize);
  const events = merchantEventPipeline(deps.db, memberships, deps.eraseUserData);
  const keys = new ApiKeys(new SequelizeApiKeyRepository(deps.db.sequelize), events.changes);
  const keyLimiter = rateLimiterFactory(
    deps.db,
    'merchants_rate_limits',
  )({
    name: 'api-key',
    points: deps.apiKeyRatePerMinute ?? 600,
    durationSeconds: 60,
  });
  const useCases = {
    profiles: new MerchantProfiles(merchants, events.changes),
    teams: new Teams(merchants, memberships, events.changes),
    access: new MerchantAccess(memberships, deps.stepUpMaxAgeSeconds ?? 600, keys, keyLimiter),
    keys,
    feed: events.feed,
  };
  const services =
    deps.serviceAuthenticator ??
    createServiceAuthenticator(serviceAuthWithDefaults(deps.serviceAuth ?? {}, 'merchants'), deps.logger, 'merchants');
  return {
    name: 'merchants',
    api: eventConsumerRoutes(merchantRoutes(deps.openapi, useCases, deps.verifier), events.consumer, services),
    readiness: [{ name: 'merchants-database', check: () => migrator.assertCurrent() }],
    start: () => deps.revocations?.start(),
    stop: async () => deps.revocations?.stop(),
    events,
  };
}

export { merchantsMigrations };
