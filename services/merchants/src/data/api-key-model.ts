import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { ApiKey } from '../domain/api-key.js';

/** A row of `merchant_api_keys`: a domain key whose scopes are stored space-separated, as OAuth writes them. */
export type ApiKeyRecord = Omit<ApiKey, 'scopes'> & { scopes: string };

export interface ApiKeyRow extends Model<ApiKeyRecord, ApiKeyRecord>, ApiKeyRecord {}

export function apiKeyModel(sequelize: Sequelize): ModelStatic<ApiKeyRow> {
  if (sequelize.isDefined('ApiKey')) return sequelize.model('ApiKey') as ModelStatic<ApiKeyRow>;
  return sequelize.define<ApiKeyRow>(
    'ApiKey',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      merchant_id: { type: DataTypes.STRING(36), allowNull: false },
      family_id: { type: DataTypes.STRING(36), allowNull: false },
      generation: { type: DataTypes.INTEGER, allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false },
      prefix: { type: DataTypes.STRING(12), allowNull: false },
      secret_hash: { type: DataTypes.STRING(64), allowNull: false },
      scopes: { type: DataTypes.STRING(200), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      expires_at: { type: DataTypes.DATE(3), allowNull: true },
      last_used_at: { type: DataTypes.DATE(3), allowNull: true },
      revoked_at: { type: DataTypes.DATE(3), allowNull: true },
      replaced_by: { type: DataTypes.STRING(36), allowNull: true },
    },
    { tableName: 'merchant_api_keys', timestamps: false },
  );
}
