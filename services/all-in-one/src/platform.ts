import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import type { ServiceModule } from '@merchant-platform/common/http/app';
import type { ModuleContext } from '@merchant-platform/common/service-runtime';
import { authMigrations, createAuthModule, type AuthSettings } from '@merchant-platform/auth/app';
import type { Mailer } from '@merchant-platform/auth/domain/mailer';
import { SigningKeys } from '@merchant-platform/auth/domain/signing-keys';
import { createMerchantsModule, merchantsMigrations } from '@merchant-platform/merchants/app';
import { LogMailer } from '@merchant-platform/auth/data/log-mailer';

export interface PlatformOptions {
  jwtPrivateKey: string;
  retiredPublicKeys?: string;
  settings: AuthSettings;
  /** Defaults to the console; tests pass one that keeps the mail. */
  mailer?: Mailer;
}

/** Every service's migrations, applied in one go at start-up (all-in-one mode only). */
export async function migrateAll(context: Pick<ModuleContext, 'db' | 'logger'>): Promise<void> {
  for (const [service, migrations] of [
    ['auth', authMigrations],
    ['merchants', merchantsMigrations],
  ] as const) {
    await new SchemaMigrator(context.db, service, migrations, context.logger).up();
  }
}

/**
 * The three services as modules of one app on one database. Merchants verifies tokens with
 * auth's keys in-process, so no JWKS fetch happens.
 */
export function createPlatformModules(context: ModuleContext, options: PlatformOptions): ServiceModule[] {
  const keys = new SigningKeys(options.jwtPrivateKey, options.retiredPublicKeys);
  const auth = createAuthModule({
    ...context,
    keys,
    mailer: options.mailer ?? new LogMailer(context.logger),
    settings: options.settings,
  });
  const merchants = createMerchantsModule({ ...context, verifier: auth.verifier });
  return [auth, merchants];
}
