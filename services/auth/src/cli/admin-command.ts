import { existsSync } from 'node:fs';
import { z } from 'zod';
import { cliArguments, EX_CONFIG, EX_UNAVAILABLE, EX_USAGE, loadCliConfig, type CliIo } from '@merchant-platform/common/cli';
import { databaseUrl } from '@merchant-platform/common/config';
import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import { AppError } from '@merchant-platform/common/errors';
import { email } from '@merchant-platform/common/fields';
import { authEnvShape } from '../config.js';
import { authMigrations } from '../data/migrations/index.js';
import { defineAuthModels } from '../data/models.js';
import { SequelizeRefreshTokenRepository } from '../data/refresh-token-repository.js';
import { SequelizeRevocationRepository } from '../data/revocation-repository.js';
import { SequelizeUserRepository } from '../data/user-repository.js';
import { AdminUsers } from '../domain/admin-users.js';
import { Revocations } from '../domain/revocations.js';
import { EventfulChanges } from '@merchant-platform/common/events/eventful-changes';
import { EventRecorder } from '@merchant-platform/common/events/recorder';
import { AUTH_EVENTS } from '../auth-events.js';
import { SequelizeUnitOfWork } from '../data/transactions.js';
import { SecurityEvents } from '../domain/security-events.js';

const cliConfigSchema = z.object({
  DATABASE_URL: databaseUrl,
  ACCESS_TOKEN_TTL_SECONDS: authEnvShape.ACCESS_TOKEN_TTL_SECONDS,
});

const USAGE = 'usage: npm run admin -- promote <email>   (or: node services/auth/dist/cli/admin.js promote <email>)';

/**
 * `npm run admin -- promote <email>`: makes an existing account an admin, so the first admin
 * needs no SQL. It goes through the same use-case as the admin API (the role change ends the
 * account's sessions: it signs in again and its new token says `admin`). Resolves with the exit code.
 */
export async function runAdminCommand(io: CliIo): Promise<number> {
  const args = cliArguments(io);
  const address = args.length === 2 && args[0] === 'promote' ? email.safeParse(args[1]) : undefined;
  if (!address?.success) {
    io.err(USAGE);
    return EX_USAGE;
  }
  const config = loadCliConfig(
    cliConfigSchema,
    io,
    'Set DATABASE_URL to the auth database, e.g. sqlite:./data/platform.sqlite in all-in-one mode.',
  );
  if (!config) return EX_CONFIG;
  const db = await openExisting(config.DATABASE_URL, io);
  if (!db) return EX_UNAVAILABLE;
  try {
    const models = defineAuthModels(db.sequelize);
    const revocations = new Revocations(
      new SequelizeRevocationRepository(models.Revocation),
      new SequelizeRefreshTokenRepository(models.RefreshToken),
      {
        accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      },
    );
    // Promotion records no event (none of the contract's types is a role change); AdminUsers still needs the recorder.
    const events = new SecurityEvents(
      new EventfulChanges(new EventRecorder(db.sequelize, AUTH_EVENTS), new SequelizeUnitOfWork(db.sequelize)),
    );
    const { user, changed } = await new AdminUsers(new SequelizeUserRepository(models.User), revocations, events).promote(address.data);
    io.out(
      changed ? `${user.email} is now an admin; their sessions were ended, so they sign in again.` : `${user.email} is already an admin.`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    io.err(error.message);
    return 1;
  } finally {
    await db.close();
  }
}

/** The database, only if it exists and carries auth's current schema; otherwise says why on stderr. */
async function openExisting(url: string, io: CliIo): Promise<Database | undefined> {
  // Opening a missing SQLite file would create an empty one; the mistake is the path.
  if (url.startsWith('sqlite:') && !existsSync(url.slice('sqlite:'.length))) {
    io.err(`No database at ${url.slice('sqlite:'.length)}: start the platform once (npm start) or run the migrations first.`);
    return undefined;
  }
  let db: Database | undefined;
  try {
    db = await openDatabase(url);
    await new SchemaMigrator(db, 'auth', authMigrations).assertCurrent();
    return db;
  } catch (error) {
    await db?.close();
    io.err(
      `The auth database at ${where(url)} cannot be used (${(error as Error).message}): is it reachable and migrated (npm run migrate)?`,
    );
    return undefined;
  }
}

/** The database's location without its credentials. */
function where(url: string): string {
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length);
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  return `${parsed.host}${parsed.pathname}`;
}
