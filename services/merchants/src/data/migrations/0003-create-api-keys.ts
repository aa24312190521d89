import { DataTypes } from 'sequelize';
import type { Migration } from '@merchant-platform/common/db/migrations';
import { createRateLimitTable } from '@merchant-platform/common/rate-limit';

/**
 * Per-merchant API keys. A roll writes a new row (the successor, `generation` + 1, same
 * `family_id`) and gives the old one a `revoked_at` at the end of its grace; `replaced_by`
 * names the successor, and setting it only where it is still null is what lets one roll win.
 * Also the rate-limiter table keys are counted in (MySQL; memory on SQLite).
 */
export const createApiKeys: Migration = {
  name: '0003-create-api-keys',
  async up(qi) {
    await qi.createTable('merchant_api_keys', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      merchant_id: { type: DataTypes.STRING(36), allowNull: false, references: { model: 'merchants', key: 'id' }, onDelete: 'CASCADE' },
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
    });
    // A presented secret is found by one indexed equality on its hash.
    await qi.addIndex('merchant_api_keys', ['secret_hash'], { unique: true, name: 'merchant_api_keys_secret_hash' });
    await qi.addIndex('merchant_api_keys', ['merchant_id', 'created_at'], { name: 'merchant_api_keys_merchant' });
    await qi.addIndex('merchant_api_keys', ['family_id', 'generation'], { unique: true, name: 'merchant_api_keys_family' });
    await createRateLimitTable(qi, 'merchants_rate_limits');
  },
  async down(qi) {
    await qi.dropTable('merchants_rate_limits');
    await qi.dropTable('merchant_api_keys');
  },
};
