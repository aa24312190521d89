import { DataTypes } from 'sequelize';
import type { Migration } from '@merchant-platform/common/db/migrations';

/**
 * A session is a refresh-token family; each rotation copies these columns to the successor, so
 * the family's one live token carries the session (GET /auth/sessions) and the claims a refresh
 * keeps. Nullable: rows of the previous release (during an upgrade) have none, and are read as
 * `amr` from `auth_method` and `auth_time` from the row's own time. An email-change code carries
 * the address it proves in `one_time_codes.target`.
 */
export const addSessionColumns: Migration = {
  name: '0007-add-session-columns',
  async up(qi) {
    await qi.addColumn('refresh_tokens', 'amr', { type: DataTypes.STRING(64), allowNull: true });
    await qi.addColumn('refresh_tokens', 'auth_time', { type: DataTypes.DATE(3), allowNull: true });
    await qi.addColumn('refresh_tokens', 'session_started_at', { type: DataTypes.DATE(3), allowNull: true });
    await qi.addColumn('refresh_tokens', 'ip', { type: DataTypes.STRING(64), allowNull: true });
    await qi.addColumn('refresh_tokens', 'user_agent', { type: DataTypes.STRING(512), allowNull: true });
    await qi.addColumn('one_time_codes', 'target', { type: DataTypes.STRING(254), allowNull: true });
  },
  async down(qi) {
    await qi.removeColumn('one_time_codes', 'target');
    for (const column of ['user_agent', 'ip', 'session_started_at', 'auth_time', 'amr']) await qi.removeColumn('refresh_tokens', column);
  },
};
