import { randomUUID } from 'node:crypto';
import { QueryTypes, type ModelStatic, type Sequelize, type Transaction } from 'sequelize';
import { leaseDueRows } from '@merchant-platform/common/db/claim-due';
import type { Dialect } from '@merchant-platform/common/db/database';
import { afterCursor, KEYSET_ORDER } from '@merchant-platform/common/db/keyset';
import type { PageQuery } from '@merchant-platform/common/pagination';
import type { QueueSnapshot } from '@merchant-platform/common/queue-gauges';
import { receives, type PlatformEvent } from '../domain/webhooks/event-types.js';
import type {
  AttemptResult,
  ClaimedDelivery,
  DeliveryRepository,
  DeliveryStatus,
  TransactionHandle,
  WebhookDelivery,
  WebhookEndpoint,
} from '../domain/webhooks/webhook.js';
import { deliveryModel, toDelivery, toEndpoint, webhookModel, type DeliveryRecord, type DeliveryRow, type WebhookRow } from './webhook-models.js';

const PENDING: DeliveryStatus = 'pending';

export class SequelizeDeliveryRepository implements DeliveryRepository {
  private readonly model: ModelStatic<DeliveryRow>;
  private readonly webhooks: ModelStatic<WebhookRow>;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly dialect: Dialect,
  ) {
    this.model = deliveryModel(sequelize);
    this.webhooks = webhookModel(sequelize);
  }

  async enqueueForSubscribers(event: PlatformEvent, payload: string, handle?: TransactionHandle): Promise<number> {
    if (!event.merchant_id) return 0;
    const transaction = handle as Transaction | undefined;
    const endpoints = await this.webhooks.findAll({ where: { merchant_id: event.merchant_id }, transaction });
    const subscribed = endpoints.map(toEndpoint).filter((endpoint) => receives(endpoint, event));
    if (subscribed.length === 0) return 0;
    const now = new Date();
    // INSERT IGNORE / OR IGNORE: the same event offered twice is still one delivery per endpoint.
    await this.model.bulkCreate(
      subscribed.map((endpoint) => newDelivery(endpoint, event, payload, now)),
      { ignoreDuplicates: true, transaction },
    );
    return subscribed.length;
  }

  /** Due deliveries, leased to this dispatcher (next_attempt_at = end of the lease) under a fresh claim token. */
  async claimDue(now: Date, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const due = { sequelize: this.sequelize, dialect: this.dialect, model: this.model, table: 'merchant_webhook_deliveries', status: PENDING, now, limit };
    const { rows, claimToken, leaseExpiresAt } = await leaseDueRows(due, leaseMs);
    if (rows.length === 0) return [];
    // An endpoint deleted since its delivery was queued takes its deliveries with it: nothing to send.
    const endpoints = await this.webhooks.findAll({ where: { id: [...new Set(rows.map((row) => row.webhook_id))] } });
    const byId = new Map(endpoints.map((row) => [row.id, toEndpoint(row)]));
    return rows.flatMap((row) => {
      const endpoint = byId.get(row.webhook_id);
      return endpoint ? [{ delivery: toDelivery(row), endpoint, claimToken, leaseExpiresAt }] : [];
    });
  }

  async record(claim: ClaimedDelivery, result: AttemptResult): Promise<boolean> {
    const values: Partial<DeliveryRecord> =
      result.outcome === 'delivered'
        ? { status: 'delivered', response_status: result.responseStatus, delivered_at: result.at, last_error: null }
        : result.outcome === 'retry'
          ? { response_status: result.responseStatus, last_error: result.error, next_attempt_at: result.nextAttemptAt }
          : { status: 'failed', response_status: result.responseStatus, last_error: result.error };
    const [count] = await this.model.update(
      { ...values, claim_token: null },
      { where: { id: claim.delivery.id, claim_token: claim.claimToken, status: PENDING } },
    );
    return count === 1;
  }

  async listPage(webhookId: string, query: PageQuery): Promise<WebhookDelivery[]> {
    const rows = await this.model.findAll({
      where: { webhook_id: webhookId, ...afterCursor(query.cursor) },
      order: KEYSET_ORDER,
      limit: query.limit + 1,
    });
    return rows.map(toDelivery);
  }

  async retryNow(webhookId: string, deliveryId: string, now: Date): Promise<boolean> {
    // Whatever its status, even mid-attempt: the new claim token fences the old attempt out.
    const [count] = await this.model.update(
      { status: PENDING, next_attempt_at: now, claim_token: null },
      { where: { id: deliveryId, webhook_id: webhookId } },
    );
    return count === 1;
  }

  async queueStats(): Promise<QueueSnapshot> {
    // One query on the (status, next_attempt_at) index's status prefix: the pending rows only.
    const [row] = await this.sequelize.query<{ depth: number | string; oldest: Date | string | null }>(
      'SELECT COUNT(*) AS depth, MIN(created_at) AS oldest FROM merchant_webhook_deliveries WHERE status = ?',
      { replacements: [PENDING], type: QueryTypes.SELECT },
    );
    // SQLite answers MIN() as its stored text ('2026-12-01 11:40:00.123 +00:00'), MariaDB as a Date.
    return { depth: Number(row?.depth ?? 0), oldestCreatedAt: row?.oldest ? new Date(row.oldest) : null };
  }
}

function newDelivery(endpoint: WebhookEndpoint, event: PlatformEvent, payload: string, now: Date): DeliveryRecord {
  return {
    id: randomUUID(),
    webhook_id: endpoint.id,
    event_id: event.id,
    event_type: event.type,
    payload,
    status: PENDING,
    attempts: 0,
    response_status: null,
    last_error: null,
    next_attempt_at: now,
    claim_token: null,
    created_at: now,
    delivered_at: null,
  };
}
