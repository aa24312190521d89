import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import { InProcessEventTransport, type EventHandlerEndpoint } from '@merchant-platform/common/events/transport';
import type { ServiceModule } from '@merchant-platform/common/http/app';
import type { ModuleContext } from '@merchant-platform/common/service-runtime';
import { authMigrations, createAuthModule, type AuthSettings } from '@merchant-platform/auth/app';
import { SigningKeys } from '@merchant-platform/auth/domain/signing-keys';
import { createEmailModule, emailMigrations, outboxSender, type EmailModuleConfig } from '@merchant-platform/email/app';
import { createMerchantsModule, merchantsMigrations, type MerchantsModule } from '@merchant-platform/merchants/app';
import { inProcessUserDataPeers } from './user-data-peers.js';
import type { WebhookSettings } from '@merchant-platform/merchants/webhooks-config';
import { consoleMigrations } from '@merchant-platform/console/app';

export interface PlatformOptions {
  jwtPrivateKey: string;
  retiredPublicKeys?: string;
  nextPublicKey?: string;
  auth: AuthSettings;
  email: EmailModuleConfig;
  /** Invitation links point here (CONSOLE_URL; all-in-one's own address by default). */
  consoleUrl?: string | undefined;
  invitationRatePerHour?: number | undefined;
  /** Merchants' webhook dispatcher; its key generated under DATA_DIR unless given. */
  webhooks?: WebhookSettings | undefined;
}

/** Every service's migrations, applied in one go at start-up (all-in-one mode only). */
export async function migrateAll(context: Pick<ModuleContext, 'db' | 'logger'>): Promise<void> {
  for (const [service, migrations] of [
    ['auth', authMigrations],
    ['merchants', merchantsMigrations],
    ['email', emailMigrations],
    ['console', consoleMigrations],
  ] as const) {
    await new SchemaMigrator(context.db, service, migrations, context.logger).up();
  }
}

/**
 * The three services as modules of one app on one database. Merchants verifies tokens with
 * auth's keys and revocation list in-process (no JWKS fetch, no feed over HTTP), and auth's and merchants' mail goes straight into the email
 * service's outbox (no HTTP hop), through the same validation and dispatcher as `POST /emails`.
 * Auth gathers a person's data and checks an account deletion with merchants and email the same way.
 * Auth's events reach merchants and email through the same outbox and relay as between pods;
 * only the last step, the consumer's `handle`, is a call instead of `POST /internal/events`.
 */
export function createPlatformModules(context: ModuleContext, options: PlatformOptions): ServiceModule[] {
  const email = createEmailModule({ ...context, config: options.email });
  // Email is cluster-internal: served here for operators, but documented only in the internal document.
  email.api.markInternal();
  // Filled below: the consumers are built after auth (merchants needs auth's verifier).
  const consumers: Record<string, EventHandlerEndpoint> = {};
  const auth = createAuthModule({
    ...context,
    keys: new SigningKeys(options.jwtPrivateKey, options.retiredPublicKeys, options.nextPublicKey),
    mailer: outboxSender(email.outbox, 'auth'),
    settings: options.auth,
    // Merchants is built next, with auth's verifier; auth asks it only once requests come.
    userDataPeers: inProcessUserDataPeers(() => merchants, email),
    eventDelivery: { transport: new InProcessEventTransport(consumers), consumers: ['merchants', 'email'] },
  });
  // One step-up age for both: merchants applies auth's rule to its own recent routes.
  const merchants: MerchantsModule = createMerchantsModule({
    ...context,
    verifier: auth.verifier,
    stepUpMaxAgeSeconds: options.auth.STEP_UP_MAX_AGE_SECONDS,
    // Invitation mail, like auth's, goes straight into the email outbox.
    mailer: outboxSender(email.outbox, 'merchants'),
    consoleUrl: options.consoleUrl,
    invitationRatePerHour: options.invitationRatePerHour,
    serviceAuth: options.auth,
    webhooks: options.webhooks,
  });
  consumers['merchants'] = merchants.events.consumer;
  consumers['email'] = email.events.consumer;
  return [auth, merchants, email];
}
