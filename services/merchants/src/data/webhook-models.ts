import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { WebhookDelivery, WebhookEndpoint } from '../domain/webhooks/webhook.js';

/** A row of `merchant_webhooks`: an endpoint whose subscribed types are stored space-separated. */
export type WebhookRecord = Omit<WebhookEndpoint, 'events'> & { events: string };
export interface WebhookRow extends Model<WebhookRecord, WebhookRecord>, WebhookRecord {}

export type DeliveryRecord = WebhookDelivery & { claim_token: string | null };
export interface DeliveryRow extends Model<DeliveryRecord, DeliveryRecord>, DeliveryRecord {}

export function webhookModel(sequelize: Sequelize): ModelStatic<WebhookRow> {
  if (sequelize.isDefined('Webhook')) return sequelize.model('Webhook') as ModelStatic<WebhookRow>;
  return sequelize.define<WebhookRow>(
    'Webhook',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      merchant_id: { type: DataTypes.STRING(36), allowNull: false },
      url: { type: DataTypes.STRING(2048), allowNull: false },
      events: { type: DataTypes.STRING(2000), allowNull: false },
      description: { type: DataTypes.STRING(500), allowNull: true },
      sealed_secret: { type: DataTypes.STRING(255), allowNull: false },
      enabled: { type: DataTypes.BOOLEAN, allowNull: false },
      failing_since: { type: DataTypes.DATE(3), allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    { tableName: 'merchant_webhooks', timestamps: false },
  );
}

export function deliveryModel(sequelize: Sequelize): ModelStatic<DeliveryRow> {
  if (sequelize.isDefined('WebhookDelivery')) return sequelize.model('WebhookDelivery') as ModelStatic<DeliveryRow>;
  return sequelize.define<DeliveryRow>(
    'WebhookDelivery',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      webhook_id: { type: DataTypes.STRING(36), allowNull: false },
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
    },
    { tableName: 'merchant_webhook_deliveries', timestamps: false },
  );
}

export function toEndpoint(row: WebhookRow): WebhookEndpoint {
  return {
    id: row.id,
    merchant_id: row.merchant_id,
    url: row.url,
    events: row.events.split(' '),
    description: row.description,
    sealed_secret: row.sealed_secret,
    // MySQL hands BOOLEAN (TINYINT) back as 0/1 in some paths.
    enabled: Boolean(row.enabled),
    failing_since: row.failing_since,
    created_at: row.created_at,
  };
}

export function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    webhook_id: row.webhook_id,
    event_id: row.event_id,
    event_type: row.event_type,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    response_status: row.response_status,
    last_error: row.last_error,
    next_attempt_at: row.next_attempt_at,
    created_at: row.created_at,
    delivered_at: row.delivered_at,
  };
}
