import type { Migration } from '@merchant-platform/common/db/migrations';

/**
 * MySQL compares text under the database's collation (utf8mb4_unicode_ci here), which holds
 * `josé@x.com` and `jose@x.com` equal: one could not register beside the other, and a lookup
 * for one finds the other. Emails, and the rate-limit keys built from them, compare byte for
 * byte. (Emails are lower-cased before they are stored, so case-insensitivity is not lost.)
 * SQLite already compares bytes (BINARY), so there is nothing to do there.
 */
export const byteExactEmails: Migration = {
  name: '0002-byte-exact-emails',
  async up(_qi, sequelize) {
    if (sequelize.getDialect() !== 'mysql') return;
    await sequelize.query('ALTER TABLE users MODIFY email VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
    await sequelize.query('ALTER TABLE auth_rate_limits MODIFY `key` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
  },
  async down(_qi, sequelize) {
    if (sequelize.getDialect() !== 'mysql') return;
    // Back to the table's default collation.
    await sequelize.query('ALTER TABLE users MODIFY email VARCHAR(254) NOT NULL');
    await sequelize.query('ALTER TABLE auth_rate_limits MODIFY `key` VARCHAR(255) NOT NULL');
  },
};
