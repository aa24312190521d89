import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Database } from '@merchant-platform/common/db/database';
import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import type { ServiceModule } from '@merchant-platform/common/http/app';
import type { Logger } from '@merchant-platform/common/logger';
import type { Metrics } from '@merchant-platform/common/metrics';
import { parseOr422 } from '@merchant-platform/common/http/validate';
import { createServiceAuthenticator } from '@merchant-platform/common/service-auth/from-config';
import { requireService } from '@merchant-platform/common/service-auth/service-guard';
import type { ServiceAuthenticator } from '@merchant-platform/common/service-auth/service-authenticator';
import type { EmailConfig } from './config.js';
import { SequelizeOutboxRepository } from './data/email-repository.js';
import { SequelizeRecipientRepository } from './data/recipient-repository.js';
import { emailMigrations } from './data/migrations/index.js';
import { LogTransport } from './delivery/log-transport.js';
import { SesTransport } from './delivery/ses-transport.js';
import { Dispatcher } from './domain/dispatcher.js';
import type { MailTransport } from './domain/email.js';
import { EmailRequest } from './domain/email-request.js';
import { Outbox } from './domain/outbox.js';
import { RetryPolicy } from '@merchant-platform/common/worker/retry-policy';
import { SendRateLimiter } from './domain/send-rate.js';
import { TemplateCatalog, type TemplateName } from './domain/templates.js';
import { exportRecipient, type RecipientExportView } from './domain/recipient-data.js';
import { recipientErasure } from './domain/user-erasure.js';
import { recipientRoutes } from './http/recipient-routes.js';
import { emailRoutes } from './http/routes.js';
import { emailEventConsumer } from './email-events.js';
import { eventConsumerRoutes } from '@merchant-platform/common/events/consumer-routes';
import type { EventConsumer } from '@merchant-platform/common/events/consumer';
import { createEmailMetrics } from './metrics.js';

/** The settings the module reads (all of `EmailConfig` but the HTTP listener's). */
export type EmailModuleConfig = Pick<
  EmailConfig,
  | 'NODE_ENV'
  | 'SERVICE_AUTH'
  | 'SERVICE_TOKEN'
  | 'SERVICE_AUTH_AUDIENCE'
  | 'SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS'
  | 'EMAIL_TRANSPORT'
  | 'EMAIL_FROM'
  | 'AWS_REGION'
  | 'SES_ENDPOINT'
  | 'SES_CONFIGURATION_SET'
  | 'SES_TIMEOUT_MS'
  | 'EMAIL_MAX_ATTEMPTS'
  | 'EMAIL_BATCH_SIZE'
  | 'EMAIL_POLL_INTERVAL_MS'
  | 'EMAIL_SEND_RATE_PER_SECOND'
  | 'EMAIL_RETRY_BASE_MS'
  | 'EMAIL_RETRY_MAX_MS'
  | 'EMAIL_LEASE_SECONDS'
>;

export interface EmailDependencies {
  db: Database;
  logger: Logger;
  openapi: OpenAPIRegistry;
  metrics: Metrics;
  config: EmailModuleConfig;
  /** Defaults to the one `SERVICE_AUTH` selects. */
  authenticator?: ServiceAuthenticator;
  /** Defaults to the one `EMAIL_TRANSPORT` selects. */
  transport?: MailTransport;
}

export interface EmailModule extends ServiceModule {
  /**
   * The outbox itself, for in-process callers (all-in-one mode's auth, through `outboxSender`):
   * `outbox.enqueue(caller, request)` commits a checked `EmailRequest` and wakes the dispatcher,
   * exactly as `POST /emails` does.
   */
  outbox: Outbox;
  dispatcher: Dispatcher;
  /** A person's e-mails for their data export, for in-process callers (all-in-one mode's auth). */
  exportRecipient(address: string): Promise<RecipientExportView>;
  /** What the `user.deleted` consumer calls (domain/user-erasure.ts). */
  eraseEmailsTo: ReturnType<typeof recipientErasure>['eraseEmailsTo'];
  /** Acts on auth's events (`POST /internal/events`, or in-process in all-in-one mode). */
  events: { consumer: EventConsumer };
}

/** The email service as a module: served alone (main.ts) or beside the others (all-in-one). */
export function createEmailModule(deps: EmailDependencies): EmailModule {
  const { config, logger } = deps;
  const migrator = new SchemaMigrator(deps.db, 'email', emailMigrations, logger);
  const emails = new SequelizeOutboxRepository(deps.db.sequelize, deps.db.dialect);
  const templates = new TemplateCatalog();
  const metrics = createEmailMetrics(deps.metrics.registry, () => emails.queueStats());
  const dispatcher = new Dispatcher(
    {
      emails,
      transport: deps.transport ?? createMailTransport(config, logger),
      templates,
      retry: new RetryPolicy({
        maxAttempts: config.EMAIL_MAX_ATTEMPTS,
        baseDelayMs: config.EMAIL_RETRY_BASE_MS,
        maxDelayMs: config.EMAIL_RETRY_MAX_MS,
      }),
      rate: new SendRateLimiter(config.EMAIL_SEND_RATE_PER_SECOND),
      metrics,
      logger,
    },
    {
      batchSize: config.EMAIL_BATCH_SIZE,
      pollIntervalMs: config.EMAIL_POLL_INTERVAL_MS,
      leaseMs: config.EMAIL_LEASE_SECONDS * 1000,
      sendTimeoutMs: config.SES_TIMEOUT_MS,
      sendRatePerSecond: config.EMAIL_SEND_RATE_PER_SECOND,
    },
  );
  const outbox = new Outbox(emails, metrics, () => dispatcher.wake());
  const recipients = new SequelizeRecipientRepository(deps.db.sequelize);
  const authenticator = deps.authenticator ?? createServiceAuthenticator(config, logger, 'e-mail');
  const service = requireService(authenticator);
  const consumer = emailEventConsumer(deps.db.sequelize, recipientErasure(recipients).eraseEmailsTo);
  return {
    name: 'email',
    api: eventConsumerRoutes(recipientRoutes(emailRoutes(deps.openapi, outbox, service), recipients, service), consumer, authenticator),
    readiness: [{ name: 'email-database', check: () => migrator.assertCurrent() }],
    start: () => dispatcher.start(),
    stop: () => dispatcher.stop(),
    outbox,
    dispatcher,
    exportRecipient: (address) => exportRecipient(recipients, address),
    eraseEmailsTo: recipientErasure(recipients).eraseEmailsTo,
    events: { consumer },
  };
}

/** A mail from an in-process caller, in the shape of auth's `Mailer` port. */
export interface OutboxMail {
  to: string;
  template: TemplateName;
  data: Record<string, string>;
  idempotencyKey: string;
}

/**
 * A sender for in-process callers (all-in-one mode's auth): each mail is checked against the
 * same `EmailRequest` rules as `POST /emails` (rejecting with the same 422 AppError), then goes
 * through the same outbox and dispatcher, recorded under `caller`. It fits auth's `Mailer` port
 * by shape, so neither service imports the other.
 */
export function outboxSender(outbox: Outbox, caller: string): { send(mail: OutboxMail): Promise<void> } {
  return {
    send: async (mail) => {
      const request = parseOr422(EmailRequest, {
        to: mail.to,
        template: mail.template,
        data: mail.data,
        idempotency_key: mail.idempotencyKey,
      });
      await outbox.enqueue(caller, request);
    },
  };
}

/**
 * `EMAIL_TRANSPORT=ses`: SES through the SDK's default credential chain; `log`: the log, and
 * outside production a readable block on stdout too.
 */
function createMailTransport(config: EmailModuleConfig, logger: Logger): MailTransport {
  if (config.EMAIL_TRANSPORT === 'log') {
    return new LogTransport(logger, config.EMAIL_FROM, config.NODE_ENV === 'production' ? undefined : process.stdout);
  }
  return new SesTransport(
    { region: config.AWS_REGION, endpoint: config.SES_ENDPOINT, timeoutMs: config.SES_TIMEOUT_MS },
    { from: config.EMAIL_FROM, configurationSet: config.SES_CONFIGURATION_SET },
  );
}

export { emailMigrations };
export { loadEmailConfig } from './config.js';
export type { ServiceAuthenticator, ServiceCaller } from '@merchant-platform/common/service-auth/service-authenticator';
