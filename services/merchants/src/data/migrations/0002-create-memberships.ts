import { DataTypes } from 'sequelize';
import type { Migration } from '@merchant-platform/common/db/migrations';

/**
 * Merchants become teams. Every v1 merchant gets its creator as owner. The merchants service
 * never stored user emails or names, so those start as null and are filled from the owner's
 * token claims at their next request to a team route (domain/memberships.ts, `refreshContact`).
 */
export const createMemberships: Migration = {
  name: '0002-create-memberships',
  async up(qi, sequelize) {
    await qi.createTable('merchant_memberships', {
      merchant_id: { type: DataTypes.STRING(36), allowNull: false, references: { model: 'merchants', key: 'id' }, onDelete: 'CASCADE' },
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      email: { type: DataTypes.STRING(320), allowNull: true },
      name: { type: DataTypes.STRING(200), allowNull: true },
      role: { type: DataTypes.STRING(16), allowNull: false },
      joined_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    // One membership per user and merchant; also the index the owner-count lock walks.
    await qi.addIndex('merchant_memberships', ['merchant_id', 'user_id'], { unique: true, name: 'merchant_memberships_merchant_user' });
    await qi.addIndex('merchant_memberships', ['user_id'], { name: 'merchant_memberships_user' });
    await qi.addColumn('merchants', 'require_mfa', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
    await sequelize.query(
      `INSERT INTO merchant_memberships (merchant_id, user_id, email, name, role, joined_at)
       SELECT id, user_id, NULL, NULL, 'owner', created_at FROM merchants`,
    );
  },
  async down(qi) {
    await qi.removeColumn('merchants', 'require_mfa');
    await qi.dropTable('merchant_memberships');
  },
};
