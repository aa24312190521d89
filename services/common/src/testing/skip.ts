import type { Context } from 'mocha';

/**
 * Skips the running test and puts the reason in its title, so the report says why it did not run
 * (mocha's own `this.skip()` prints only the title).
 */
export function skipBecause(context: Context, reason: string): never {
  if (context.test) context.test.title += ` (skipped: ${reason})`;
  context.skip();
}

/** The reason for tests that need a MySQL server: the SQLite run cannot exercise them. */
export const NEEDS_MYSQL = 'needs MySQL; run with DATABASE_URL=mysql://...';
