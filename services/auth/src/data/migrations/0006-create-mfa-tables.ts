import { DataTypes } from 'sequelize';
import type { Migration } from '@merchant-platform/common/db/migrations';

export const createMfaTables: Migration = {
  name: '0006-create-mfa-tables',
  async up(qi) {
    await qi.createTable('totp_factors', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false },
      // AES-256-GCM under a key derived from the pepper: a copy of the table alone yields no secret.
      secret_sealed: { type: DataTypes.STRING(255), allowNull: false },
      confirmed_at: { type: DataTypes.DATE(3), allowNull: true },
      // The RFC 6238 time step of the last accepted code; a code is accepted only for a later step.
      last_step: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      last_used_at: { type: DataTypes.DATE(3), allowNull: true },
    });
    await qi.addIndex('totp_factors', ['user_id'], { name: 'totp_factors_user_id' });

    await qi.createTable('recovery_codes', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      code_hash: { type: DataTypes.STRING(64), allowNull: false },
      used_at: { type: DataTypes.DATE(3), allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    await qi.addIndex('recovery_codes', ['user_id', 'code_hash'], { name: 'recovery_codes_user_code' });

    await qi.createTable('mfa_challenges', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      // Only the SHA-256 of the mfa_token is kept, as for refresh tokens.
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      auth_method: { type: DataTypes.STRING(16), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      passkey_challenge_id: { type: DataTypes.STRING(36), allowNull: true },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
      used_at: { type: DataTypes.DATE(3), allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    await qi.addIndex('mfa_challenges', ['token_hash'], { unique: true, name: 'mfa_challenges_token_unique' });
    await qi.addIndex('mfa_challenges', ['expires_at'], { name: 'mfa_challenges_expires_at' });
  },
  async down(qi) {
    for (const table of ['mfa_challenges', 'recovery_codes', 'totp_factors']) await qi.dropTable(table);
  },
};
