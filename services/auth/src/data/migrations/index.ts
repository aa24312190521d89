import type { Migration } from '@merchant-platform/common/db/migrations';
import { createAuthTables } from './0001-create-auth-tables.js';
import { createPasskeyTables } from './0002-create-passkey-tables.js';

/** In order; a build expects exactly these to be applied (readiness checks it). */
export const authMigrations: Migration[] = [createAuthTables, createPasskeyTables];
