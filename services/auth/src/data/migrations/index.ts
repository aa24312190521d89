import type { Migration } from '@merchant-platform/common/db/migrations';
import { createAuthTables } from './0001-create-auth-tables.js';
import { byteExactEmails } from './0002-byte-exact-emails.js';
import { createAuthRevocations } from './0003-create-auth-revocations.js';
import { createMailOutbox } from './0004-create-mail-outbox.js';
import { createPasskeyTables } from './0005-create-passkey-tables.js';
import { createMfaTables } from './0006-create-mfa-tables.js';
import { addSessionColumns } from './0007-add-session-columns.js';
import { createAuthEvents } from './0008-create-auth-events.js';

/** In order; a build expects exactly these to be applied (readiness checks it). */
export const authMigrations: Migration[] = [
  createAuthTables,
  byteExactEmails,
  createAuthRevocations,
  createMailOutbox,
  createPasskeyTables,
  createMfaTables,
  addSessionColumns,
  createAuthEvents,
];
