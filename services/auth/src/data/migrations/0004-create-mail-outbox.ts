import { DataTypes } from 'sequelize';
import type { Migration } from '@merchant-platform/common/db/migrations';

/**
 * Mail auth owes: written in the same transaction as the state it announces (the account, the
 * code), and deleted once the email service has taken it, so a crash never loses a mail.
 */
export const createMailOutbox: Migration = {
  name: '0004-create-mail-outbox',
  async up(qi) {
    await qi.createTable('auth_mail_outbox', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      recipient: { type: DataTypes.STRING(254), allowNull: false },
      template: { type: DataTypes.STRING(50), allowNull: false },
      data: { type: DataTypes.TEXT, allowNull: false },
      idempotency_key: { type: DataTypes.STRING(200), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      next_attempt_at: { type: DataTypes.DATE(3), allowNull: false },
      last_error: { type: DataTypes.STRING(500), allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    await qi.addIndex('auth_mail_outbox', ['next_attempt_at'], { name: 'auth_mail_outbox_next_attempt_at' });
  },
  async down(qi) {
    await qi.dropTable('auth_mail_outbox');
  },
};
