import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

/** A service's event tables: `<prefix>_events`, `<prefix>_event_outbox`, `<prefix>_processed_events`. */
export interface EventTableNames {
  events: string;
  outbox: string;
  processed: string;
}

export const eventTableNames = (prefix: string): EventTableNames => ({
  events: `${prefix}_events`,
  outbox: `${prefix}_event_outbox`,
  processed: `${prefix}_processed_events`,
});

export interface EventRow extends Model {
  id: string;
  type: string;
  created_at: Date;
  actor_type: string;
  actor_id: string | null;
  subject_type: string;
  subject_id: string | null;
  merchant_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  data: string;
}

export interface OutboxRow extends Model {
  id: string;
  event_id: string;
  consumer: string;
  payload: string;
  attempts: number;
  next_attempt_at: Date;
  claim_token: string | null;
  last_error: string | null;
  created_at: Date;
}

export interface ProcessedRow extends Model {
  event_id: string;
  processed_at: Date;
}

/**
 * The models' columns. A change here needs a migration that makes it (event-table-migrations.ts
 * creates the tables as they first were); models-match-migrations.test.ts fails until it exists.
 */
const eventColumns = {
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

const outboxColumns = {
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

const processedColumns = {
  event_id: { type: DataTypes.STRING(36), primaryKey: true },
  processed_at: { type: DataTypes.DATE(3), allowNull: false },
};

function defineOnce<M extends Model>(sequelize: Sequelize, name: string, table: string, columns: object): ModelStatic<M> {
  if (sequelize.isDefined(name)) return sequelize.model(name) as ModelStatic<M>;
  return sequelize.define<M>(name, columns as never, { tableName: table, timestamps: false });
}

export const eventModel = (sequelize: Sequelize, prefix: string) =>
  defineOnce<EventRow>(sequelize, `${prefix}Event`, eventTableNames(prefix).events, eventColumns);
export const outboxModel = (sequelize: Sequelize, prefix: string) =>
  defineOnce<OutboxRow>(sequelize, `${prefix}EventOutbox`, eventTableNames(prefix).outbox, outboxColumns);
export const processedModel = (sequelize: Sequelize, prefix: string) =>
  defineOnce<ProcessedRow>(sequelize, `${prefix}ProcessedEvent`, eventTableNames(prefix).processed, processedColumns);
