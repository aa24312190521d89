import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import type { ServiceModule } from '@merchant-platform/common/http/app';
import type { ModuleContext } from '@merchant-platform/common/service-runtime';
import { authMigrations, createAuthModule, type AuthSettings } from '@merchant-platform/auth/app';
import { SigningKeys } from '@merchant-platform/auth/domain/signing-keys';
import { createEmailModule, emailMigrations, outboxSender, type EmailModuleConfig } from '@merchant-platform/email/app';
import { createMerchantsModule, merchantsMigrations } from '@merchant-platform/merchants/app';

export interface PlatformOptions {
  jwtPrivateKey: string;
  retiredPublicKeys?: string;
  nextPublicKey?: string;
  auth: AuthSettings;
  email: EmailModuleConfig;
}

/** Every service's migrations, applied in one go at start-up (all-in-one mode only). */
export async function migrateAll(context: Pick<ModuleContext, 'db' | 'logger'>): Promise<void> {
  for (const [service, migrations] of [
    ['auth', authMigrations],
    ['merchants', merchantsMigrations],
    ['email', emailMigrations],
  ] as const) {
    await new SchemaMigrator(context.db, service, migrations, context.logger).up();
  }
}

/**
 * The three services as modules of one app on one database. Merchants verifies tokens with
 * auth's keys and revocation list in-process (no JWKS fetch, no feed over HTTP), and auth's mail goes straight into the email
 * service's outbox (no HTTP hop), through the same validation and dispatcher as `POST /emails`.
 */
export function createPlatformModules(context: ModuleContext, options: PlatformOptions): ServiceModule[] {
  const email = createEmailModule({ ...context, config: options.email });
  // Email is cluster-internal: served here for operators, but documented only in the internal document.
  email.api.markInternal();
  const auth = createAuthModule({
    ...context,
    keys: new SigningKeys(options.jwtPrivateKey, options.retiredPublicKeys, options.nextPublicKey),
    mailer: outboxSender(email.outbox, 'auth'),
    settings: options.auth,
  });
  // One step-up age for both: merchants applies auth's rule to its own recent routes.
  const merchants = createMerchantsModule({
    ...context,
    verifier: auth.verifier,
    stepUpMaxAgeSeconds: options.auth.STEP_UP_MAX_AGE_SECONDS,
  });
  return [auth, merchants, email];
}
