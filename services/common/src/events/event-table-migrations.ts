import { DataTypes, type QueryInterface } from 'sequelize';
import type { Migration } from '../db/migrations.js';
import { eventTableNames } from './event-tables.js';

/*
 * The event tables as their migrations first created them. These are snapshots, written out
 * rather than shared with the models in event-tables.ts: a migration that reads live definitions
 * would create a changed table on new installs and leave existing ones as they were. Never edit
 * them; a change to a table is a new migration in each service that has it.
 */

const EVENTS_V1 = {
  id: { type: DataTypes.STRING(36), primaryKey: true },
  type: { type: DataTypes.STRING(64), allowNull: false },
  created_at: { type: DataTypes.DATE(3), allowNull: false },
  actor_type: { type: DataTypes.STRING(16), allowNull: false },
  actor_id: { type: DataTypes.STRING(64), allowNull: true },
  subject_type: { type: DataTypes.STRING(32), allowNull: false },
  subject_id: { type: DataTypes.STRING(64), allowNull: true },
  merchant_id: { type: DataTypes.STRING(36), allowNull: true },
  ip: { type: DataTypes.STRING(64), allowNull: true },
  user_agent: { type: DataTypes.STRING(512), allowNull: true },
  request_id: { type: DataTypes.STRING(128), allowNull: true },
  data: { type: DataTypes.TEXT, allowNull: false },
};

const OUTBOX_V1 = {
  id: { type: DataTypes.STRING(36), primaryKey: true },
  event_id: { type: DataTypes.STRING(36), allowNull: false },
  consumer: { type: DataTypes.STRING(32), allowNull: false },
  payload: { type: DataTypes.TEXT, allowNull: false },
  attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  next_attempt_at: { type: DataTypes.DATE(3), allowNull: false },
  claim_token: { type: DataTypes.STRING(36), allowNull: true },
  last_error: { type: DataTypes.STRING(500), allowNull: true },
  created_at: { type: DataTypes.DATE(3), allowNull: false },
};

const PROCESSED_V1 = {
  event_id: { type: DataTypes.STRING(36), primaryKey: true },
  processed_at: { type: DataTypes.DATE(3), allowNull: false },
};

/** Every filter the audit routes offer is an index ending in the keyset order (created_at, id). */
const EVENT_INDEXES_V1: string[][] = [
  ['created_at', 'id'],
  ['type', 'created_at', 'id'],
  ['actor_id', 'created_at', 'id'],
  ['subject_id', 'created_at', 'id'],
  ['merchant_id', 'created_at', 'id'],
  ['merchant_id', 'type', 'created_at', 'id'],
];

/** The migration creating a recording service's event log and delivery outbox. */
export function createEventLogMigration(name: string, prefix: string): Migration {
  const tables = eventTableNames(prefix);
  return {
    name,
    async up(qi: QueryInterface) {
      await qi.createTable(tables.events, EVENTS_V1);
      for (const fields of EVENT_INDEXES_V1) await qi.addIndex(tables.events, fields, { name: `${tables.events}_${fields.join('_')}` });
      await qi.createTable(tables.outbox, OUTBOX_V1);
      await qi.addIndex(tables.outbox, ['next_attempt_at', 'id'], { name: `${tables.outbox}_next_attempt_at` });
    },
    async down(qi: QueryInterface) {
      await qi.dropTable(tables.outbox);
      await qi.dropTable(tables.events);
    },
  };
}

/** The migration creating a consuming service's record of events it has acted on. */
export function createProcessedEventsMigration(name: string, prefix: string): Migration {
  const table = eventTableNames(prefix).processed;
  return {
    name,
    up: (qi: QueryInterface) => qi.createTable(table, PROCESSED_V1),
    down: (qi: QueryInterface) => qi.dropTable(table),
  };
}
