import { DataTypes } from 'sequelize';
import type { Migration } from '@merchant-platform/common/db/migrations';

/**
 * Merchants' webhook endpoints and their delivery outbox. A delivery holds the event's JSON as
 * sent (a snapshot), so it needs nothing from the event tables; (webhook_id, event_id) is unique,
 * so an event is queued at most once per endpoint. The dispatcher claims due rows by
 * (status, next_attempt_at), as the e-mail outbox does.
 */
export const createWebhooks: Migration = {
  name: '0006-create-webhooks',
  async up(qi) {
    await qi.createTable('merchant_webhooks', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      merchant_id: { type: DataTypes.STRING(36), allowNull: false, references: { model: 'merchants', key: 'id' }, onDelete: 'CASCADE' },
      url: { type: DataTypes.STRING(2048), allowNull: false },
      events: { type: DataTypes.STRING(2000), allowNull: false },
      description: { type: DataTypes.STRING(500), allowNull: true },
      sealed_secret: { type: DataTypes.STRING(255), allowNull: false },
      enabled: { type: DataTypes.BOOLEAN, allowNull: false },
      failing_since: { type: DataTypes.DATE(3), allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    await qi.addIndex('merchant_webhooks', ['merchant_id', 'created_at'], { name: 'merchant_webhooks_merchant' });
    await qi.createTable('merchant_webhook_deliveries', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      webhook_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'merchant_webhooks', key: 'id' },
        onDelete: 'CASCADE',
      },
      event_id: { type: DataTypes.STRING(64), allowNull: false },
      event_type: { type: DataTypes.STRING(64), allowNull: false },
      payload: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false },
      response_status: { type: DataTypes.INTEGER, allowNull: true },
      last_error: { type: DataTypes.STRING(500), allowNull: true },
      next_attempt_at: { type: DataTypes.DATE(3), allowNull: false },
      claim_token: { type: DataTypes.STRING(36), allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      delivered_at: { type: DataTypes.DATE(3), allowNull: true },
    });
    await qi.addIndex('merchant_webhook_deliveries', ['webhook_id', 'event_id'], { unique: true, name: 'merchant_webhook_deliveries_event' });
    await qi.addIndex('merchant_webhook_deliveries', ['status', 'next_attempt_at'], { name: 'merchant_webhook_deliveries_due' });
    await qi.addIndex('merchant_webhook_deliveries', ['webhook_id', 'created_at', 'id'], { name: 'merchant_webhook_deliveries_log' });
  },
  async down(qi) {
    await qi.dropTable('merchant_webhook_deliveries');
    await qi.dropTable('merchant_webhooks');
  },
};
