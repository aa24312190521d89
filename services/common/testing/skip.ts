import type { Context } from 'mocha';

/**
 * Skips the running test, or from a `before` hook its whole suite, and puts the reason in the
 * title the report prints (mocha's own `this.skip()` prints only the title).
 */
export function skipBecause(context: Context, reason: string): never {
  const runnable = context.test;
  const titled = (runnable as { type?: string } | undefined)?.type === 'hook' ? runnable?.parent : runnable;
  if (titled) titled.title += ` (skipped: ${reason})`;
  context.skip();
}

/** The reason for tests that need a MySQL server: the SQLite run cannot exercise them. */
export const NEEDS_MYSQL = 'needs MySQL; run with DATABASE_URL=mysql://...';
