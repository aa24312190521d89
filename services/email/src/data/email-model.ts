import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export class EmailRow extends Model<InferAttributes<EmailRow>, InferCreationAttributes<EmailRow>> {
  declare id: string;
  declare caller: string;
  declare idempotency_key: string | null;
  declare template: string;
  /** Column `recipient`. */
  declare to: string;
  /** JSON text of the template data; NULL once the row is final. */
  declare data: string | null;
  declare status: string;
  declare attempts: CreationOptional<number>;
  declare send_attempted_at: CreationOptional<Date | null>;
  declare next_attempt_at: Date;
  declare claim_token: CreationOptional<string | null>;
  declare message_id: CreationOptional<string | null>;
  declare last_error: CreationOptional<string | null>;
  declare sent_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;
}

export function defineEmailModel(sequelize: Sequelize): typeof EmailRow {
  // A fresh subclass per Sequelize instance: two modules (two replicas in one test process)
  // must not share one model bound to the first instance's connection pool.
  class BoundEmailRow extends EmailRow {}
  BoundEmailRow.init(
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      caller: { type: DataTypes.STRING(255), allowNull: false },
      idempotency_key: { type: DataTypes.STRING(200), allowNull: true },
      template: { type: DataTypes.STRING(50), allowNull: false },
      to: { type: DataTypes.STRING(254), allowNull: false, field: 'recipient' },
      data: { type: DataTypes.TEXT, allowNull: true },
      status: { type: DataTypes.STRING(10), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      send_attempted_at: { type: DataTypes.DATE(3), allowNull: true },
      next_attempt_at: { type: DataTypes.DATE(3), allowNull: false },
      claim_token: { type: DataTypes.STRING(36), allowNull: true },
      message_id: { type: DataTypes.STRING(255), allowNull: true },
      last_error: { type: DataTypes.STRING(500), allowNull: true },
      sent_at: { type: DataTypes.DATE(3), allowNull: true },
      created_at: DataTypes.DATE(3),
      updated_at: DataTypes.DATE(3),
    },
    { sequelize, modelName: 'EmailRow', tableName: 'email_outbox', timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true },
  );
  return BoundEmailRow;
}
