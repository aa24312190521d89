import { DataTypes } from 'sequelize';
import type { Migration } from '@merchant-platform/common/db/migrations';

/**
 * Users whose account deletion merchants has admitted but not yet erased (auth records the
 * deletion, the `user.deleted` event erases them here within seconds). While a row exists the
 * user no longer counts as an owner, so two co-owners deleting their accounts at once cannot
 * both pass the last-owner rule.
 */
export const createUserDepartures: Migration = {
  name: '0005-create-user-departures',
  async up(qi) {
    await qi.createTable('merchant_user_departures', {
      user_id: { type: DataTypes.STRING(36), primaryKey: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    });
  },
  async down(qi) {
    await qi.dropTable('merchant_user_departures');
  },
};
