import { DataTypes } from 'sequelize';
import type { Migration } from '@merchant-platform/common/db/migrations';
import { createRateLimitTable } from '@merchant-platform/common/rate-limit';

export const createAuthTables: Migration = {
  name: '0001-create-auth-tables',
  async up(qi) {
    await qi.createTable('users', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      email: { type: DataTypes.STRING(254), allowNull: false },
      password_hash: { type: DataTypes.STRING(100), allowNull: true },
      google_subject: { type: DataTypes.STRING(255), allowNull: true },
      first_name: { type: DataTypes.STRING(100), allowNull: false },
      middle_name: { type: DataTypes.STRING(100), allowNull: true },
      last_name: { type: DataTypes.STRING(100), allowNull: false },
      profile_picture: { type: DataTypes.STRING(2048), allowNull: true },
      email_verified: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      roles: { type: DataTypes.STRING(200), allowNull: false },
      disabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    // Uniqueness lives in the database so concurrent registrations cannot both win.
    await qi.addIndex('users', ['email'], { unique: true, name: 'users_email_unique' });
    await qi.addIndex('users', ['google_subject'], { unique: true, name: 'users_google_subject_unique' });
    await qi.addIndex('users', ['created_at', 'id'], { name: 'users_created_at_id' });

    await qi.createTable('refresh_tokens', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      family_id: { type: DataTypes.STRING(36), allowNull: false },
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      auth_method: { type: DataTypes.STRING(16), allowNull: false },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
      used_at: { type: DataTypes.DATE(3), allowNull: true },
      revoked_at: { type: DataTypes.DATE(3), allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    await qi.addIndex('refresh_tokens', ['token_hash'], { unique: true, name: 'refresh_tokens_hash_unique' });
    await qi.addIndex('refresh_tokens', ['user_id'], { name: 'refresh_tokens_user_id' });
    await qi.addIndex('refresh_tokens', ['family_id'], { name: 'refresh_tokens_family_id' });

    await qi.createTable('one_time_codes', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      purpose: { type: DataTypes.STRING(32), allowNull: false },
      code_hash: { type: DataTypes.STRING(64), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
      consumed_at: { type: DataTypes.DATE(3), allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    // One live code per user and purpose: issuing a new one replaces the row.
    await qi.addIndex('one_time_codes', ['user_id', 'purpose'], { unique: true, name: 'one_time_codes_user_purpose_unique' });

    // rate-limiter-flexible's MySQL store (shared by replicas).
    await createRateLimitTable(qi, 'auth_rate_limits');
  },
  async down(qi) {
    for (const table of ['auth_rate_limits', 'one_time_codes', 'refresh_tokens', 'users']) await qi.dropTable(table);
  },
};
