import { DataTypes } from 'sequelize';
import type { Migration } from '@merchant-platform/common/db/migrations';

/** Revoked users and sessions, read by every service's revocation poller in id order. */
export const createAuthRevocations: Migration = {
  name: '0003-create-auth-revocations',
  async up(qi) {
    await qi.createTable('auth_revocations', {
      // INTEGER, not BIGINT: SQLite only auto-increments an INTEGER PRIMARY KEY.
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      kind: { type: DataTypes.STRING(16), allowNull: false },
      subject_id: { type: DataTypes.STRING(36), allowNull: false },
      revoked_before: { type: DataTypes.DATE(3), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    await qi.addIndex('auth_revocations', ['revoked_before'], { name: 'auth_revocations_revoked_before' });
  },
  async down(qi) {
    await qi.dropTable('auth_revocations');
  },
};
