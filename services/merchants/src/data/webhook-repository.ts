import { Op, type ModelStatic, type Sequelize } from 'sequelize';
import { withTransaction } from '@merchant-platform/common/db/transaction-scope';
import type { WebhookEndpoint, WebhookRepository } from '../domain/webhooks/webhook.js';
import { deliveryModel, toEndpoint, webhookModel, type DeliveryRow, type WebhookRow } from './webhook-models.js';

export class SequelizeWebhookRepository implements WebhookRepository {
  private readonly model: ModelStatic<WebhookRow>;
  private readonly deliveries: ModelStatic<DeliveryRow>;

  constructor(private readonly sequelize: Sequelize) {
    this.model = webhookModel(sequelize);
    this.deliveries = deliveryModel(sequelize);
  }

  async insert(endpoint: WebhookEndpoint): Promise<void> {
    await this.model.create({ ...endpoint, events: endpoint.events.join(' ') });
  }

  async list(merchantId: string): Promise<WebhookEndpoint[]> {
    const rows = await this.model.findAll({
      where: { merchant_id: merchantId },
      order: [
        ['created_at', 'ASC'],
        ['id', 'ASC'],
      ],
    });
    return rows.map(toEndpoint);
  }

  async find(merchantId: string, webhookId: string): Promise<WebhookEndpoint | undefined> {
    const row = await this.model.findOne({ where: { merchant_id: merchantId, id: webhookId } });
    return row ? toEndpoint(row) : undefined;
  }

  async delete(merchantId: string, webhookId: string): Promise<boolean> {
    // SQLite enforces no foreign keys here, so the deliveries are removed explicitly, in one go.
    return this.sequelize.transaction(async (transaction) => {
      const row = await this.model.findOne({ where: { merchant_id: merchantId, id: webhookId }, transaction });
      if (!row) return false;
      await this.deliveries.destroy({ where: { webhook_id: webhookId }, transaction });
      await row.destroy({ transaction });
      return true;
    });
  }

  async noteFailure(webhookId: string, now: Date, disableIfFailingSince: Date): Promise<boolean> {
    // Joins the caller's unit of work, so the `webhook.disabled` event commits with the change.
    return withTransaction(this.sequelize, async (transaction) => {
      await this.model.update({ failing_since: now }, { where: { id: webhookId, failing_since: null }, transaction });
      // Of concurrent failures, the one whose update flips `enabled` is the one that reports it.
      const [disabled] = await this.model.update(
        { enabled: false },
        { where: { id: webhookId, enabled: true, failing_since: { [Op.lte]: disableIfFailingSince } }, transaction },
      );
      if (disabled !== 1) return false;
      await this.deliveries.update(
        { status: 'failed', last_error: 'the endpoint was disabled after failing for too long', claim_token: null },
        { where: { webhook_id: webhookId, status: 'pending' }, transaction },
      );
      return true;
    });
  }

  async noteSuccess(webhookId: string): Promise<void> {
    await this.model.update({ failing_since: null }, { where: { id: webhookId, failing_since: { [Op.ne]: null } } });
  }
}
