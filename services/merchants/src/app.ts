import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Database } from '@merchant-platform/common/db/database';
import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import type { ServiceModule } from '@merchant-platform/common/http/app';
import type { Logger } from '@merchant-platform/common/logger';
import type { Metrics } from '@merchant-platform/common/metrics';
import type { AccessTokenVerifier } from '@merchant-platform/common/tokens/access-token';
import type { RevocationPoller } from '@merchant-platform/common/tokens/revocation-poller';
import { rateLimiterFactory } from '@merchant-platform/common/rate-limit';
import { serviceAuthWithDefaults, type ServiceAuthSettings } from '@merchant-platform/common/service-auth/config';
import { createServiceAuthenticator } from '@merchant-platform/common/service-auth/from-config';
import type { ServiceAuthenticator } from '@merchant-platform/common/service-auth/service-authenticator';
import { requireService } from '@merchant-platform/common/service-auth/service-guard';
import { SequelizeApiKeyRepository } from './data/api-key-repository.js';
import { SequelizeInvitationRepository } from './data/invitation-repository.js';
import { SequelizeMembershipRepository } from './data/membership-repository.js';
import { SequelizeMerchantRepository } from './data/merchant-repository.js';
import { merchantsMigrations } from './data/migrations/index.js';
import { SequelizeUserDepartureRepository } from './data/user-departure-repository.js';
import { MerchantAccess } from './domain/access.js';
import { ApiKeys } from './domain/api-keys.js';
import type { InvitationMailer } from './domain/invitation-mail.js';
import { Invitations } from './domain/invitations.js';
import { MerchantProfiles } from './domain/merchant-profiles.js';
import { Teams } from './domain/memberships.js';
import { UserDataExport } from './domain/user-data-export.js';
import { UserDepartures } from './domain/user-departure.js';
import { userErasure } from './domain/user-erasure.js';
import { merchantRoutes } from './http/routes.js';
import { userDataRoutes } from './http/user-data-routes.js';
import type { PlatformEvent } from './domain/webhooks/event-types.js';
import type { Resolver } from './domain/webhooks/target-policy.js';
import type { TransactionHandle, WebhookEndpoint } from './domain/webhooks/webhook.js';
import type { WebhookDispatcher } from './domain/webhooks/webhook-dispatcher.js';
import { webhookEnvShape, type WebhookSettings } from './webhooks-config.js';
import { createWebhooks } from './webhooks-wiring.js';
import { merchantEventPipeline } from './merchant-event-pipeline.js';
import { eventConsumerRoutes } from '@merchant-platform/common/events/consumer-routes';

export interface MerchantsDependencies {
  db: Database;
  logger: Logger;
  openapi: OpenAPIRegistry;
  /** The process metrics, which the webhook queue gauges join; none (some tests): not exported. */
  metrics?: Metrics | undefined;
  verifier: AccessTokenVerifier;
  /** Keeps the verifier's revocation list current (standalone: polling auth over HTTP). */
  revocations?: RevocationPoller | undefined;
  /** How old a sign-in may be for *recent* routes (the auth service's STEP_UP_MAX_AGE_SECONDS; 600 by default). */
  stepUpMaxAgeSeconds?: number | undefined;
  /** Requests one API key may make per minute (RATE_LIMIT_API_KEY_PER_MINUTE; 600 by default). */
  apiKeyRatePerMinute?: number | undefined;
  /** Where invitation mail goes: the email service over HTTP, or its outbox in-process (all-in-one). None: inviting answers 503. */
  mailer?: InvitationMailer | undefined;
  /** The console's base URL, which invitation links point at (CONSOLE_URL). */
  consoleUrl?: string | undefined;
  /** Invitations one merchant may send per hour (RATE_LIMIT_INVITATIONS_PER_HOUR; 20 by default). */
  invitationRatePerHour?: number | undefined;
  /** Who may call the internal routes (auth); without them every caller is refused (token mode, no SERVICE_TOKEN). */
  serviceAuth?: Partial<ServiceAuthSettings>;
  /** Defaults to the one `serviceAuth` selects. */
  serviceAuthenticator?: ServiceAuthenticator;
  /** The WEBHOOK_* settings; defaults as documented, and a per-process key when none is given (not in production: config requires one). */
  webhooks?: Partial<WebhookSettings> | undefined;
  /** Tests play DNS for the webhook target policy with this. */
  resolveHost?: Resolver | undefined;
  /** An endpoint was disabled after failing for 3 days (its `webhook.disabled` event is recorded either way). */
  onWebhookEndpointDisabled?: ((endpoint: WebhookEndpoint) => Promise<void> | void) | undefined;
}

export interface MerchantsModule extends ServiceModule {
  /**
   * For the event pipeline, inside the transaction that records a merchant event: queues one
   * delivery per enabled endpoint of that merchant subscribed to the type (or `*`).
   */
  enqueueWebhookDeliveries: (event: PlatformEvent, options?: { transaction?: TransactionHandle }) => Promise<number>;
  webhookDispatcher: WebhookDispatcher;
  /** A user's data rights, for in-process callers (all-in-one mode's auth): the internal routes' use-cases. */
  userData: { exports: UserDataExport; departures: UserDepartures };
  /** What the `user.deleted` consumer calls (domain/user-erasure.ts). */
  eraseUserData: ReturnType<typeof userErasure>['eraseUserData'];
  /** The recorder (listeners run in its transactions: the webhooks fan-out), the log, and the consumer of auth's events. */
  events: ReturnType<typeof merchantEventPipeline>;
}

/** Where a developer's console runs (all-in-one's port); production sets CONSOLE_URL (config.ts requires it). */
export const DEFAULT_CONSOLE_URL = 'http://localhost:8080';

/** The merchants service as a module: served alone (main.ts) or beside the others (all-in-one). */
export function createMerchantsModule(deps: MerchantsDependencies): MerchantsModule {
  const migrator = new SchemaMigrator(deps.db, 'merchants', merchantsMigrations, deps.logger);
  const merchants = new SequelizeMerchantRepository(deps.db.sequelize);
  const memberships = new SequelizeMembershipRepository(deps.db.sequelize);
  const departureRecords = new SequelizeUserDepartureRepository(deps.db.sequelize);
  const eraseUserData = userErasure(departureRecords).eraseUserData;
  const events = merchantEventPipeline(deps.db, memberships, eraseUserData);
  const keys = new ApiKeys(new SequelizeApiKeyRepository(deps.db.sequelize), events.changes);
  const limiter = rateLimiterFactory(deps.db, 'merchants_rate_limits');
  const keyLimiter = limiter({ name: 'api-key', points: deps.apiKeyRatePerMinute ?? 600, durationSeconds: 60 });
  const { webhooks, dispatcher } = createWebhooks({
    db: deps.db,
    logger: deps.logger,
    settings: webhookSettings(deps),
    resolve: deps.resolveHost,
    events: events.changes,
    onEndpointDisabled: deps.onWebhookEndpointDisabled,
    metrics: deps.metrics,
  });
  // Every merchant event recorded is fanned out to the merchant's webhooks in the same transaction.
  events.recorder.listen((event, transaction) => webhooks.enqueueDeliveries(event, { transaction }).then(() => undefined));
  const useCases = {
    profiles: new MerchantProfiles(merchants, events.changes),
    teams: new Teams(merchants, memberships, events.changes),
    access: new MerchantAccess(memberships, deps.stepUpMaxAgeSeconds ?? 600, keys, keyLimiter),
    keys,
    invitations: new Invitations(
      new SequelizeInvitationRepository(deps.db.sequelize),
      merchants,
      {
        consoleUrl: deps.consoleUrl ?? DEFAULT_CONSOLE_URL,
        limiter: limiter({ name: 'invitations', points: deps.invitationRatePerHour ?? 20, durationSeconds: 3600 }),
        mailer: deps.mailer,
      },
      events.changes,
    ),
    webhooks,
    feed: events.feed,
  };
  const userData = { exports: new UserDataExport(memberships, merchants), departures: new UserDepartures(departureRecords, merchants) };
  const services =
    deps.serviceAuthenticator ??
    createServiceAuthenticator(serviceAuthWithDefaults(deps.serviceAuth ?? {}, 'merchants'), deps.logger, 'merchants');
  return {
    name: 'merchants',
    api: eventConsumerRoutes(
      userDataRoutes(merchantRoutes(deps.openapi, useCases, deps.verifier), userData, requireService(services)),
      events.consumer,
      services,
    ),
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
    userData,
    eraseUserData,
    events,
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
