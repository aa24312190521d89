import { z } from 'zod';
import { cliArguments, EX_CONFIG, EX_UNAVAILABLE, EX_USAGE, loadCliConfig, type CliIo } from '@merchant-platform/common/cli';
import { databaseUrl } from '@merchant-platform/common/config';
import { AppError } from '@merchant-platform/common/errors';
import { email } from '@merchant-platform/common/fields';
import { authEnvShape } from '../config.js';
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
import { openExistingAuthDatabase } from './auth-database.js';

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
  const db = await openExistingAuthDatabase(config.DATABASE_URL, io);
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
