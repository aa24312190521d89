import type { Counter } from 'prom-client';
import type { Logger } from '@merchant-platform/common/logger';
import type { MailOutbox, OutboxMail } from './mail-outbox.js';
import type { Mailer } from './mailer.js';

export interface MailRelayOptions {
  pollIntervalMs: number;
  batchSize: number;
  /** How long a claimed row is left to this relay before another may take it. */
  leaseMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

/**
 * How long the poller leaves a newly queued row to the request that queued it: the request hands
 * it over itself right after its commit, so the mail leaves within that request (and its trace).
 * A row whose request died before the hand-over is the poller's once this has passed.
 */
const HAND_OVER_GRACE_MS = 2_000;

const DEFAULT_RELAY_OPTIONS: MailRelayOptions = {
  pollIntervalMs: 1_000,
  batchSize: 20,
  leaseMs: 30_000,
  retryBaseMs: 1_000,
  retryMaxMs: 5 * 60_000,
};

/**
 * Hands auth's outbox rows to the Mailer (the email service), right after the transaction that
 * wrote them and then by polling, with back-off, until each is taken. The row's idempotency
 * key makes a second hand-over of the same row (a crash after sending, two replicas) harmless.
 */
export class MailRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly outbox: MailOutbox,
    private readonly mailer: Mailer,
    private readonly logger: Logger,
    private readonly failures: Counter<'template'>,
    private readonly options: MailRelayOptions = DEFAULT_RELAY_OPTIONS,
  ) {}

  /** Tries the given rows now; never throws, since the rows stay for the poller anyway. */
  async deliver(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      await this.sendAll(await this.outbox.claim({ ids, limit: ids.length, leaseMs: this.options.leaseMs }));
    } catch (error) {
      this.logger.warn({ err: error }, 'mail relay: immediate hand-over failed; the poller will retry');
    }
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.running = this.pollOnce().finally(() => {
        this.running = undefined;
        if (this.timer) this.timer = setTimeout(tick, this.options.pollIntervalMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async pollOnce(): Promise<void> {
    try {
      for (;;) {
        const batch = await this.outbox.claim({
          queuedBefore: new Date(Date.now() - HAND_OVER_GRACE_MS),
          limit: this.options.batchSize,
          leaseMs: this.options.leaseMs,
        });
        await this.sendAll(batch);
        if (batch.length < this.options.batchSize || !this.timer) return;
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'mail relay: could not read the outbox');
    }
  }

  private async sendAll(mails: OutboxMail[]): Promise<void> {
    await Promise.all(mails.map((mail) => this.send(mail)));
  }

  private async send(mail: OutboxMail): Promise<void> {
    try {
      await this.mailer.send({ to: mail.to, template: mail.template, data: mail.data, idempotencyKey: mail.idempotencyKey });
    } catch (error) {
      this.failures.inc({ template: mail.template });
      this.logger.error(
        { err: error, outbox_id: mail.id, template: mail.template, attempts: mail.attempts + 1 },
        'could not hand the e-mail to the email service',
      );
      await this.outbox.retryAt(mail.id, new Date(Date.now() + this.backoffMs(mail.attempts)), (error as Error).message ?? String(error));
      return;
    }
    await this.outbox.remove(mail.id);
  }

  /** Exponential with full jitter, so replicas retrying after an outage do not arrive together. */
  private backoffMs(attempts: number): number {
    const ceiling = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** attempts);
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }
}
