import type { ModelStatic, Sequelize } from 'sequelize';
import { leaseDueRows } from '../db/claim-due.js';
import type { Dialect } from '../db/database.js';
import type { Logger } from '../logger.js';
import { PollingWorker } from '../worker/polling-worker.js';
import { RetryPolicy } from '../worker/retry-policy.js';
import type { DeliveredEvent } from './event.js';
import { outboxModel, type OutboxRow } from './event-tables.js';
import type { EventTransport } from './transport.js';

export interface EventRelayOptions {
  pollIntervalMs: number;
  batchSize: number;
  /** How long a claimed row is this relay's; longer than a delivery's timeout. */
  leaseMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export const DEFAULT_EVENT_RELAY_OPTIONS: EventRelayOptions = {
  pollIntervalMs: 1_000,
  batchSize: 20,
  leaseMs: 30_000,
  retryBaseMs: 1_000,
  retryMaxMs: 5 * 60_000,
};

const MAX_ERROR_LENGTH = 500;

/**
 * Internal delivery, at least once: claims due outbox rows (leases, SKIP LOCKED on MySQL, so
 * replicas share the work), hands each to the transport, deletes it once delivered and
 * otherwise retries it with exponential back-off. Consumers are idempotent by event id, so a
 * delivery repeated after a crash or a lost answer acts once.
 */
export class EventRelay extends PollingWorker {
  private readonly outbox: ModelStatic<OutboxRow>;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly db: { sequelize: Sequelize; dialect: Dialect },
    prefix: string,
    private readonly transport: EventTransport,
    private readonly logger: Logger,
    private readonly options: EventRelayOptions = DEFAULT_EVENT_RELAY_OPTIONS,
  ) {
    super({ pollIntervalMs: options.pollIntervalMs, name: 'event relay', logger });
    this.outbox = outboxModel(db.sequelize, prefix);
    // Internal deliveries retry until they succeed: the consumer being down is not a reason to drop one.
    this.retry = new RetryPolicy({
      maxAttempts: Number.MAX_SAFE_INTEGER,
      baseDelayMs: options.retryBaseMs,
      maxDelayMs: options.retryMaxMs,
    });
  }

  /** A full batch suggests more is due: go again at once. (`wake()` after a commit skips the wait.) */
  protected async round(): Promise<boolean> {
    return (await this.relayBatch()) >= this.options.batchSize;
  }

  /** Claims one batch and delivers it; resolves with the number of rows claimed. */
  async relayBatch(): Promise<number> {
    const due = {
      ...this.db,
      model: this.outbox,
      table: this.outbox.getTableName() as string,
      now: new Date(),
      limit: this.options.batchSize,
    };
    const { rows, claimToken } = await leaseDueRows(due, this.options.leaseMs);
    await Promise.all(rows.map((row) => this.deliver(row, claimToken)));
    return rows.length;
  }

  private async deliver(row: OutboxRow, claimToken: string): Promise<void> {
    const event = JSON.parse(row.payload) as DeliveredEvent;
    const log = this.logger.child({ event_id: row.event_id, event_type: event.type, consumer: row.consumer, attempt: row.attempts });
    try {
      await this.transport.deliver(row.consumer, event);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log.warn({ reason }, 'event delivery failed; will retry');
      await this.outbox
        .update(
          {
            next_attempt_at: new Date(Date.now() + this.retry.delayMs(row.attempts)),
            claim_token: null,
            last_error: reason.slice(0, MAX_ERROR_LENGTH),
          },
          { where: { id: row.id, claim_token: claimToken } },
        )
        .catch((e: unknown) => log.error({ err: e }, 'event relay: could not schedule the retry; the row returns after its lease'));
      return;
    }
    // Only the claim's holder removes the row; if the lease was lost, the next holder delivers again (harmless).
    await this.outbox
      .destroy({ where: { id: row.id, claim_token: claimToken } })
      .catch((e: unknown) => log.error({ err: e }, 'event relay: delivered but could not remove the row; it will be delivered again'));
    log.debug('event delivered');
  }
}
