import { existsSync } from 'node:fs';
import type { CliIo } from '@merchant-platform/common/cli';
import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import { authMigrations } from '../data/migrations/index.js';

/** The database, only if it exists and carries auth's current schema; otherwise says why on stderr. */
export async function openExistingAuthDatabase(url: string, io: CliIo): Promise<Database | undefined> {
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
export function where(url: string): string {
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length);
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  return `${parsed.host}${parsed.pathname}`;
}
