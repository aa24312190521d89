import { DataTypes } from 'sequelize';
import type { Migration } from '@merchant-platform/common/db/migrations';

/**
 * Invitations to a merchant's team. The token is kept only as its SHA-256 (`token_hash`); the
 * status is not stored but read from `accepted_at`, `revoked_at` and `expires_at`, so an
 * invitation expires without anyone writing to it. Accepting sets `accepted_at` only where it
 * is still null, which is what lets exactly one of two concurrent accepts win.
 */
export const createInvitations: Migration = {
  name: '0004-create-invitations',
  async up(qi) {
    await qi.createTable('merchant_invitations', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      merchant_id: { type: DataTypes.STRING(36), allowNull: false, references: { model: 'merchants', key: 'id' }, onDelete: 'CASCADE' },
      email: { type: DataTypes.STRING(320), allowNull: false },
      role: { type: DataTypes.STRING(16), allowNull: false },
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      invited_by: { type: DataTypes.STRING(36), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
      accepted_at: { type: DataTypes.DATE(3), allowNull: true },
      accepted_by: { type: DataTypes.STRING(36), allowNull: true },
      revoked_at: { type: DataTypes.DATE(3), allowNull: true },
    });
    // A presented token is found by one indexed equality on its hash.
    await qi.addIndex('merchant_invitations', ['token_hash'], { unique: true, name: 'merchant_invitations_token_hash' });
    await qi.addIndex('merchant_invitations', ['merchant_id', 'email'], { name: 'merchant_invitations_merchant_email' });
  },
  async down(qi) {
    await qi.dropTable('merchant_invitations');
  },
};
