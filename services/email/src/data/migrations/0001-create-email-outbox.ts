import { DataTypes } from 'sequelize';
import type { Migration } from '@merchant-platform/common/db/migrations';

export const createEmailOutbox: Migration = {
  name: '0001-create-email-outbox',
  async up(qi) {
    await qi.createTable('email_outbox', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      caller: { type: DataTypes.STRING(255), allowNull: false },
      idempotency_key: { type: DataTypes.STRING(200), allowNull: true },
      template: { type: DataTypes.STRING(50), allowNull: false },
      recipient: { type: DataTypes.STRING(254), allowNull: false },
      data: { type: DataTypes.TEXT, allowNull: true },
      status: { type: DataTypes.STRING(10), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      next_attempt_at: { type: DataTypes.DATE(3), allowNull: false },
      claim_token: { type: DataTypes.STRING(36), allowNull: true },
      message_id: { type: DataTypes.STRING(255), allowNull: true },
      last_error: { type: DataTypes.STRING(500), allowNull: true },
      sent_at: { type: DataTypes.DATE(3), allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    // A retried request races on this index and never inserts a second row (NULL keys never collide).
    await qi.addIndex('email_outbox', ['caller', 'idempotency_key'], { unique: true, name: 'email_outbox_caller_idempotency_key' });
    // The dispatcher's claim: queued rows in due order.
    await qi.addIndex('email_outbox', ['status', 'next_attempt_at'], { name: 'email_outbox_status_next_attempt_at' });
  },
  async down(qi) {
    await qi.dropTable('email_outbox');
  },
};
