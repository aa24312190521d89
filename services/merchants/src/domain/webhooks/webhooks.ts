import { randomUUID } from 'node:crypto';
import { notFound, validationFailed } from '@merchant-platform/common/errors';
import type { EventfulChanges } from '@merchant-platform/common/events/eventful-changes';
import { toPage, type Page, type PageQuery } from '@merchant-platform/common/pagination';
import { merchantEvent, webhookSubject } from '../merchant-events.js';
import type { Principal } from '../principal.js';
import type { PlatformEvent } from './event-types.js';
import type { SecretBox } from '@merchant-platform/common/secret-box';
import { newWebhookSecret } from './webhook-secret.js';
import { TargetRefused, type WebhookTargetPolicy } from './target-policy.js';
import type { DeliveryRepository, TransactionHandle, WebhookEndpoint, WebhookRepository } from './webhook.js';
import { presentDelivery, presentWebhook, type DeliveryView, type WebhookView } from './webhook-views.js';

export interface NewWebhook {
  url: string;
  events: string[];
  description?: string | null | undefined;
}

const NOT_FOUND = 'This merchant has no webhook with this id.';

/** A merchant's webhook endpoints, their delivery log, and the entry point of the event pipeline. */
export class Webhooks {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly targets: WebhookTargetPolicy,
    private readonly secrets: SecretBox,
    /** New work for the dispatcher: skip its idle wait. */
    private readonly wake: () => void,
    private readonly events: EventfulChanges,
  ) {}

  /** The secret is in this answer only; it is stored sealed. A URL the SSRF rule refuses gets 422. */
  async create(merchantId: string, input: NewWebhook): Promise<{ webhook: WebhookView; secret: string }> {
    try {
      await this.targets.resolveTarget(input.url);
    } catch (error) {
      if (error instanceof TargetRefused)
        throw validationFailed([{ path: 'url', message: error.message }], 'This URL may not receive webhooks.');
      throw error;
    }
    const id = randomUUID();
    const secret = newWebhookSecret();
    const endpoint: WebhookEndpoint = {
      id,
      merchant_id: merchantId,
      url: input.url,
      events: [...new Set(input.events)],
      description: input.description ?? null,
      sealed_secret: this.secrets.seal(secret, id),
      enabled: true,
      failing_since: null,
      created_at: new Date(),
    };
    await this.webhooks.insert(endpoint);
    return { webhook: presentWebhook(endpoint), secret };
  }

  async list(merchantId: string): Promise<WebhookView[]> {
    return (await this.webhooks.list(merchantId)).map(presentWebhook);
  }

  async delete(merchantId: string, webhookId: string): Promise<void> {
    if (!(await this.webhooks.delete(merchantId, webhookId))) throw notFound(NOT_FOUND);
  }

  /**
   * Records a `webhook.test` event (so it is in the merchant's events like any other); the
   * fan-out queues it to this endpoint alone, whatever it subscribes to (`receives`).
   */
  async sendTest(principal: Principal, webhookId: string): Promise<void> {
    const endpoint = await this.existing(principal.merchantId, webhookId);
    await this.events.record(
      merchantEvent('webhook.test', principal, principal.merchantId, webhookSubject(endpoint.id), { webhook_id: endpoint.id }),
    );
    // Committed now: the dispatcher woken during the fan-out may have looked before the commit.
    this.wake();
  }

  async deliveryLog(merchantId: string, webhookId: string, query: PageQuery): Promise<Page<DeliveryView>> {
    await this.existing(merchantId, webhookId);
    const rows = await this.deliveries.listPage(webhookId, query);
    return toPage(rows, query.limit, presentDelivery, (row) => ({ createdAt: row.created_at, id: row.id }));
  }

  async retry(merchantId: string, webhookId: string, deliveryId: string): Promise<void> {
    await this.existing(merchantId, webhookId);
    if (!(await this.deliveries.retryNow(webhookId, deliveryId, new Date()))) throw notFound('This webhook has no delivery with this id.');
    this.wake();
  }

  /**
   * What the event pipeline calls inside the transaction that records a merchant event: one
   * pending delivery per enabled endpoint of the event's merchant subscribed to its type (or `*`),
   * each holding the event's JSON as it will be sent. Commits or rolls back with the caller's
   * transaction; the dispatcher is woken now and finds the rows once they are committed.
   */
  async enqueueDeliveries(event: PlatformEvent, options: { transaction?: TransactionHandle } = {}): Promise<number> {
    const queued = await this.deliveries.enqueueForSubscribers(event, JSON.stringify(event), options.transaction);
    if (queued > 0) this.wake();
    return queued;
  }

  private async existing(merchantId: string, webhookId: string): Promise<WebhookEndpoint> {
    const endpoint = await this.webhooks.find(merchantId, webhookId);
    if (!endpoint) throw notFound(NOT_FOUND);
    return endpoint;
  }
}
