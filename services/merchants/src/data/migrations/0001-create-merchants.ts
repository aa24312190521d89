import { DataTypes } from 'sequelize';
import type { Migration } from '@merchant-platform/common/db/migrations';

export const createMerchants: Migration = {
  name: '0001-create-merchants',
  async up(qi) {
    await qi.createTable('merchants', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      business_name: { type: DataTypes.STRING(200), allowNull: false },
      business_type: { type: DataTypes.STRING(100), allowNull: true },
      phone: { type: DataTypes.STRING(16), allowNull: true },
      website: { type: DataTypes.STRING(2048), allowNull: true },
      address_line1: { type: DataTypes.STRING(200), allowNull: false },
      address_line2: { type: DataTypes.STRING(200), allowNull: true },
      address_city: { type: DataTypes.STRING(100), allowNull: false },
      address_region: { type: DataTypes.STRING(100), allowNull: true },
      address_postal_code: { type: DataTypes.STRING(20), allowNull: true },
      address_country: { type: DataTypes.STRING(2), allowNull: false },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    // One profile per user: concurrent PUTs race on this index, never create a second row.
    await qi.addIndex('merchants', ['user_id'], { unique: true, name: 'merchants_user_id_unique' });
    await qi.addIndex('merchants', ['created_at', 'id'], { name: 'merchants_created_at_id' });
  },
  async down(qi) {
    await qi.dropTable('merchants');
  },
};
