import { Webhook } from 'standardwebhooks';
import type { EventfulChanges } from '@merchant-platform/common/events/eventful-changes';
import type { Logger } from '@merchant-platform/common/logger';
import { PollingWorker } from '@merchant-platform/common/worker/polling-worker';
import type { RetryPolicy } from '@merchant-platform/common/worker/retry-policy';
import type { SecretBox } from '@merchant-platform/common/secret-box';
import { webhookSubject } from '../merchant-events.js';
import type { WebhookTargetPolicy } from './target-policy.js';
import type { AttemptResult, ClaimedDelivery, DeliveryRepository, WebhookEndpoint, WebhookRepository } from './webhook.js';
import type { WebhookSender } from './webhook-sender.js';

export interface WebhookDispatcherOptions {
  batchSize: number;
  pollIntervalMs: number;
  /** The longest one POST may take; a claim's lease is longer by a margin. */
  timeoutMs: number;
  /** How long a delivery is retried, and how long an endpoint may fail before it is disabled (3 days). */
  giveUpAfterMs: number;
}

export interface WebhookDispatcherDependencies {
  deliveries: DeliveryRepository;
  webhooks: WebhookRepository;
  targets: WebhookTargetPolicy;
  sender: WebhookSender;
  secrets: SecretBox;
  retry: RetryPolicy;
  logger: Logger;
  /** `webhook.disabled` is recorded here, in the transaction that disables the endpoint. */
  events: EventfulChanges;
  /** An endpoint was just disabled for failing too long (after its event committed). */
  onEndpointDisabled: (endpoint: WebhookEndpoint) => Promise<void> | void;
}

const LEASE_MARGIN_MS = 20_000;
const MAX_ERROR_LENGTH = 500;

/**
 * Delivers webhooks: claims due deliveries (leases, SKIP LOCKED on MySQL, as the e-mail outbox
 * does), signs each per Standard Webhooks with the endpoint's secret and `webhook-id` = the
 * event's id (the same on every retry), re-checks the target's addresses, POSTs, and records the
 * outcome. Any non-2xx or no answer is retried with exponential back-off and jitter until the
 * delivery is `giveUpAfterMs` old; an endpoint failing that long is disabled.
 */
export class WebhookDispatcher extends PollingWorker {
  private readonly leaseMs: number;

  constructor(
    private readonly deps: WebhookDispatcherDependencies,
    private readonly options: WebhookDispatcherOptions,
  ) {
    super({ pollIntervalMs: options.pollIntervalMs, name: 'webhook dispatcher', logger: deps.logger });
    this.leaseMs = options.timeoutMs + LEASE_MARGIN_MS;
  }

  protected async round(): Promise<boolean> {
    return (await this.dispatchBatch()) >= this.options.batchSize;
  }

  /** Claims one batch and attempts each delivery in it; resolves with the number claimed. */
  async dispatchBatch(): Promise<number> {
    const claims = await this.deps.deliveries.claimDue(new Date(), this.options.batchSize, this.leaseMs);
    await Promise.all(claims.map((claim) => this.attempt(claim)));
    return claims.length;
  }

  private async attempt(claim: ClaimedDelivery): Promise<void> {
    const { delivery, endpoint } = claim;
    const log = this.deps.logger.child({
      delivery_id: delivery.id,
      webhook_id: endpoint.id,
      event_id: delivery.event_id,
      attempt: delivery.attempts,
    });
    let status: number | null = null;
    try {
      const pinned = await this.deps.targets.resolveTarget(endpoint.url);
      const answer = await this.deps.sender.send(this.signedPost(endpoint, delivery.event_id, delivery.payload), pinned);
      status = answer.status;
      if (status >= 200 && status < 300) {
        await this.record(claim, { outcome: 'delivered', responseStatus: status, at: new Date() }, log);
        await this.deps.webhooks.noteSuccess(endpoint.id);
        return;
      }
      await this.failed(claim, status, `the endpoint answered ${status}`, log);
    } catch (error) {
      await this.failed(claim, status, error instanceof Error ? error.message : String(error), log);
    }
  }

  private signedPost(endpoint: WebhookEndpoint, eventId: string, body: string) {
    // The secret is opened only here, for the signature, and never leaves this function.
    const signer = new Webhook(this.deps.secrets.open(endpoint.sealed_secret, endpoint.id));
    const now = new Date();
    return {
      url: endpoint.url,
      body,
      headers: {
        'webhook-id': eventId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signer.sign(eventId, now, body),
      },
    };
  }

  private async failed(claim: ClaimedDelivery, responseStatus: number | null, reason: string, log: Logger): Promise<void> {
    const now = Date.now();
    const error = reason.length > MAX_ERROR_LENGTH ? `${reason.slice(0, MAX_ERROR_LENGTH - 1)}…` : reason;
    const deadline = claim.delivery.created_at.getTime() + this.options.giveUpAfterMs;
    const result: AttemptResult =
      now >= deadline
        ? { outcome: 'failed', responseStatus, error }
        : {
            outcome: 'retry',
            responseStatus,
            error,
            // The last try falls on the deadline rather than past it.
            nextAttemptAt: new Date(Math.min(deadline, now + this.deps.retry.delayMs(claim.delivery.attempts))),
          };
    await this.record(claim, result, log);
    const endpoint = claim.endpoint;
    const disabled = await this.deps.events.withChange(
      () => this.deps.webhooks.noteFailure(endpoint.id, new Date(now), new Date(now - this.options.giveUpAfterMs)),
      // The system acted; the URL says which endpoint went quiet, the sealed secret stays out.
      (flipped) =>
        flipped && {
          type: 'webhook.disabled' as const,
          actor: { type: 'system' as const, id: null },
          subject: webhookSubject(endpoint.id),
          merchantId: endpoint.merchant_id,
          data: { webhook_id: endpoint.id, url: endpoint.url },
        },
    );
    if (disabled) {
      log.warn('webhook endpoint disabled after failing for too long');
      await this.deps.onEndpointDisabled({ ...claim.endpoint, enabled: false });
    }
  }

  private async record(claim: ClaimedDelivery, result: AttemptResult, log: Logger): Promise<void> {
    if (!(await this.deps.deliveries.record(claim, result))) {
      log.warn({ outcome: result.outcome }, 'webhook dispatcher: the claim was lost before the outcome was recorded');
      return;
    }
    if (result.outcome === 'delivered') log.info({ response_status: result.responseStatus }, 'webhook delivered');
    else log.warn({ outcome: result.outcome, response_status: result.responseStatus, reason: result.error }, 'webhook attempt failed');
  }
}
