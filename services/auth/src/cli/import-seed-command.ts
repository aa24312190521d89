import { parseArgs } from 'node:util';
import { z } from 'zod';
import { cliArguments, EX_CONFIG, EX_UNAVAILABLE, EX_USAGE, loadCliConfig, type CliIo } from '@merchant-platform/common/cli';
import { databaseUrl } from '@merchant-platform/common/config';
import { readLegacyUsers } from '../data/legacy-user-source.js';
import { defineAuthModels } from '../data/models.js';
import { SequelizeUserRepository } from '../data/user-repository.js';
import { SeedImport, type LegacyUser, type SeedImportProgress } from '../domain/seed-import.js';
import { openExistingAuthDatabase, where } from './auth-database.js';

export const IMPORT_SEED_HELP = `usage: platformctl import-seed --from mysql://USER:PASSWORD@HOST:PORT/DATABASE [--dry-run]

Brings users over from the old system's merchant_user table into auth's database (DATABASE_URL).
Their passlib bcrypt hashes keep working: each user signs in with the old password, and the hash
is upgraded to ours at that sign-in. Emails are trimmed and lower-cased; rows whose emails differ
only in case are reported as conflicts and not imported. A re-run skips users already here.

  --from URL   the old MySQL database (mysql:// or mariadb://)
  --dry-run    read and check everything, write nothing
  --help       this text

Environment: DATABASE_URL  auth's database (mysql://... or sqlite:...), migrated.
Exit status: 0 done (see the counts), 64 bad arguments, 78 no DATABASE_URL, 69 a database cannot be used.`;

const cliConfigSchema = z.object({ DATABASE_URL: databaseUrl });

/** `platformctl import-seed`: resolves with the exit code. */
export async function runImportSeedCommand(io: CliIo, options: { interactive?: boolean } = {}): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: cliArguments(io),
      options: { from: { type: 'string' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean' } },
    }).values;
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${IMPORT_SEED_HELP}`);
    return EX_USAGE;
  }
  if (args.help) {
    io.out(IMPORT_SEED_HELP);
    return 0;
  }
  if (!args.from || !/^(mysql|mariadb):\/\/.+/.test(args.from)) {
    io.err(`--from needs the old MySQL database's URL (mysql://...).\n\n${IMPORT_SEED_HELP}`);
    return EX_USAGE;
  }
  const config = loadCliConfig(cliConfigSchema, io, "Set DATABASE_URL to auth's database.");
  if (!config) return EX_CONFIG;

  let rows: LegacyUser[];
  try {
    rows = await readLegacyUsers(args.from);
  } catch (error) {
    io.err(`The old database at ${where(args.from)} cannot be read (${(error as Error).message}).`);
    return EX_UNAVAILABLE;
  }
  const db = await openExistingAuthDatabase(config.DATABASE_URL, io);
  if (!db) return EX_UNAVAILABLE;
  try {
    const dryRun = args['dry-run'] ?? false;
    io.out(`${dryRun ? 'Dry run: checking' : 'Importing'} ${rows.length} users from ${where(args.from)}.`);
    const users = new SequelizeUserRepository(defineAuthModels(db.sequelize).User);
    const counts = await new SeedImport(users, terminalProgress(io, options.interactive ?? false)).run(rows, { dryRun });
    io.out(`${dryRun ? 'Would import' : 'Imported'} ${counts.imported}, skipped ${counts.skipped}, conflicts ${counts.conflicts}.`);
    return 0;
  } finally {
    await db.close();
  }
}

/**
 * Progress on stderr, so stdout keeps only the result: on a terminal one line redrawn in place,
 * elsewhere (a Job's log) a line at every tenth of the work. Skips and conflicts name the old
 * user_id and never a hash.
 */
function terminalProgress(io: CliIo, interactive: boolean): SeedImportProgress {
  let lastTenth = -1;
  return {
    row(done, total) {
      const tenth = Math.floor((done * 10) / total);
      if (interactive) process.stderr.write(`\r  ${done}/${total} users${done === total ? '\n' : ''}`);
      else if (tenth !== lastTenth) io.err(`  ${done}/${total} users`);
      lastTenth = tenth;
    },
    skipped: (userId, reason) => io.err(`  skipped user_id ${userId}: ${reason}`),
    conflict: (email, userIds) =>
      io.err(
        `  conflict: user_ids ${userIds.join(', ')} have emails that differ only in case (${email}); none imported, merge them by hand`,
      ),
  };
}
