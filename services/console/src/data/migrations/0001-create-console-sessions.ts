import { DataTypes } from 'sequelize';
import type { Migration } from '@merchant-platform/common/db/migrations';

/**
 * The browser sessions of the console. The cookie carries only the row's id; the API tokens
 * (the refresh token above all) stay in `data`, on the server.
 */
export const createConsoleSessions: Migration = {
  name: '0001-create-console-sessions',
  async up(qi) {
    await qi.createTable('console_sessions', {
      id: { type: DataTypes.STRING(64), primaryKey: true },
      data: { type: DataTypes.TEXT, allowNull: false },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    // The sweep of expired sessions reads by expiry.
    await qi.addIndex('console_sessions', ['expires_at'], { name: 'console_sessions_expires_at' });
  },
  async down(qi) {
    await qi.dropTable('console_sessions');
  },
};
