import { DataTypes } from 'sequelize';
import type { Migration } from '@merchant-platform/common/db/migrations';

export const createPasskeyTables: Migration = {
  name: '0005-create-passkey-tables',
  async up(qi) {
    await qi.createTable('passkey_credentials', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      // WebAuthn allows ids up to 1023 bytes: too long for a MySQL unique index, so the
      // uniqueness (and the lookup) goes through its SHA-256.
      credential_id: { type: DataTypes.STRING(1400), allowNull: false },
      credential_id_hash: { type: DataTypes.STRING(64), allowNull: false },
      public_key: { type: DataTypes.BLOB, allowNull: false },
      // The authenticator's counter is an unsigned 32-bit number.
      sign_count: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      counter_regressions: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      transports: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
      name: { type: DataTypes.STRING(100), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      last_used_at: { type: DataTypes.DATE(3), allowNull: true },
    });
    await qi.addIndex('passkey_credentials', ['credential_id_hash'], { unique: true, name: 'passkey_credentials_credential_unique' });
    await qi.addIndex('passkey_credentials', ['user_id'], { name: 'passkey_credentials_user_id' });

    await qi.createTable('webauthn_challenges', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      purpose: { type: DataTypes.STRING(16), allowNull: false },
      user_id: { type: DataTypes.STRING(36), allowNull: true },
      // Only the SHA-256 of the challenge is kept, as for refresh tokens.
      challenge_hash: { type: DataTypes.STRING(64), allowNull: false },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
      used_at: { type: DataTypes.DATE(3), allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    await qi.addIndex('webauthn_challenges', ['challenge_hash'], { unique: true, name: 'webauthn_challenges_hash_unique' });
    await qi.addIndex('webauthn_challenges', ['expires_at'], { name: 'webauthn_challenges_expires_at' });
  },
  async down(qi) {
    for (const table of ['webauthn_challenges', 'passkey_credentials']) await qi.dropTable(table);
  },
};
