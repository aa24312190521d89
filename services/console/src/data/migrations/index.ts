import type { Migration } from '@merchant-platform/common/db/migrations';
import { createConsoleSessions } from './0001-create-console-sessions.js';
import { addConsoleSessionRefreshLease } from './0002-add-console-session-refresh-lease.js';

/** In order; a build expects exactly these to be applied (readiness checks it). */
export const consoleMigrations: Migration[] = [createConsoleSessions, addConsoleSessionRefreshLease];
