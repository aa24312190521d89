import { DataTypes } from 'sequelize';
import type { Migration } from '@merchant-platform/common/db/migrations';

/**
 * Who is refreshing a session's tokens, and until when: refresh tokens are single-use, so two
 * console replicas serving one browser at once must not both spend the same one.
 */
export const addConsoleSessionRefreshLease: Migration = {
  name: '0002-add-console-session-refresh-lease',
  async up(qi) {
    await qi.addColumn('console_sessions', 'refresh_lease_until', { type: DataTypes.DATE(3), allowNull: true });
  },
  async down(qi) {
    await qi.removeColumn('console_sessions', 'refresh_lease_until');
  },
};
