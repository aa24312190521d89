import type { Logger } from '@merchant-platform/common/logger';
import { PollingWorker } from '@merchant-platform/common/polling-worker';
import type { EmailMetrics } from '../metrics.js';
import { DeliveryError, type ClaimedEmail, type MailTransport, type OutboxRepository } from './email.js';
import type { RetryPolicy } from './retry-policy.js';
import type { SendRateLimiter } from './send-rate.js';
import type { TemplateCatalog } from './templates.js';

export interface DispatcherOptions {
  batchSize: number;
  pollIntervalMs: number;
  leaseMs: number;
  /** The longest one send may take (the transport's timeout); a send must end inside the lease. */
  sendTimeoutMs: number;
  sendRatePerSecond: number;
}

export interface DispatcherDependencies {
  emails: OutboxRepository;
  transport: MailTransport;
  templates: TemplateCatalog;
  retry: RetryPolicy;
  rate: SendRateLimiter;
  metrics: EmailMetrics;
  logger: Logger;
}

const MAX_ERROR_LENGTH = 500;

/**
 * Delivers the outbox: claims due rows in small batches, sends each through the transport at
 * the configured rate, and records the outcome. Runs beside the HTTP server and never on a
 * request's path. Several dispatchers (replicas) may run against one MySQL database: a claim
 * is exclusive, and only the claim's holder can finish a row.
 */
export class Dispatcher extends PollingWorker {
  private readonly claimLimit: number;

  constructor(
    private readonly deps: DispatcherDependencies,
    private readonly options: DispatcherOptions,
  ) {
    super({
      intervalMs: options.pollIntervalMs,
      onError: (error) => deps.logger.error({ err: error }, 'e-mail dispatcher: could not claim rows; will try again'),
    });
    // Never claim more than can be sent in half a lease at the send rate: a claimed row waiting
    // for its turn must not outlive its lease (another replica would then take it).
    const sendableInHalfLease = Math.floor((options.sendRatePerSecond * (options.leaseMs - options.sendTimeoutMs)) / 2000);
    this.claimLimit = Math.max(1, Math.min(options.batchSize, sendableInHalfLease));
  }

  /** A full batch suggests more is due: go again at once. */
  protected async round(): Promise<boolean> {
    return (await this.dispatchBatch()) >= this.claimLimit;
  }

  /** Claims one batch and delivers it; resolves with the number of rows claimed. */
  async dispatchBatch(): Promise<number> {
    const claims = await this.deps.emails.claimDue(new Date(), this.claimLimit, this.options.leaseMs);
    await Promise.all(claims.map((claim) => this.deliver(claim)));
    return claims.length;
  }

  private async deliver(claim: ClaimedEmail): Promise<void> {
    const { email } = claim;
    const log = this.deps.logger.child({ email_id: email.id, template: email.template, attempt: email.attempts });
    await this.deps.rate.acquire();
    if (Date.now() + this.options.sendTimeoutMs >= claim.leaseExpiresAt.getTime()) {
      // Too late to finish inside the lease; the row comes back when the lease ends.
      log.warn('e-mail dispatcher: lease too short to send; leaving the row for a later claim');
      return;
    }

    let rendered;
    try {
      rendered = this.deps.templates.render(email.template, email.data, email.to);
    } catch (error) {
      await this.record(claim, { outcome: 'failed', reason: `template could not be rendered: ${describe(error)}` }, log);
      return;
    }

    // SES takes no idempotency key, so a send whose outcome was never recorded may already have
    // gone. The mark, committed before the call, is how the next claim of this row knows.
    if (!(await this.markSendAttempted(claim, log))) return;
    if (email.send_attempted_at !== null) {
      this.deps.metrics.possibleDuplicates.inc({ template: email.template });
      log.warn(
        { previous_send_at: email.send_attempted_at.toISOString() },
        'e-mail resent after a send with no recorded outcome; it may arrive twice',
      );
    }

    let messageId: string;
    try {
      ({ messageId } = await this.deps.transport.send(rendered, { emailId: email.id, template: email.template }));
    } catch (error) {
      // Anything unclassified (a bug, a credentials hiccup) is worth another try, within the limit,
      // and may have gone out for all we know.
      const known = error instanceof DeliveryError ? error : undefined;
      const reason = describe(error);
      if ((known?.retryable ?? true) && this.deps.retry.mayRetry(email.attempts)) {
        await this.record(claim, { outcome: 'retry', reason, delivered: (known?.maybeDelivered ?? true) ? 'unknown' : 'no' }, log);
      } else {
        await this.record(claim, { outcome: 'failed', reason }, log);
      }
      return;
    }
    await this.record(claim, { outcome: 'sent', messageId }, log);
  }

  /** False when the row must not be sent now: the claim was lost, or the mark could not be committed. */
  private async markSendAttempted(claim: ClaimedEmail, log: Logger): Promise<boolean> {
    try {
      if (await this.deps.emails.markSendAttempted(claim, new Date())) return true;
      log.warn('e-mail dispatcher: the claim was lost before the send; leaving the row to its new holder');
    } catch (error) {
      log.error({ err: error }, 'e-mail dispatcher: could not mark the send; the row returns after its lease');
    }
    return false;
  }

  /** Writes the outcome; a brief database hiccup must not turn a sent mail into a resend. */
  private async record(claim: ClaimedEmail, result: Outcome, log: Logger): Promise<void> {
    const { email } = claim;
    const write = () => {
      if (result.outcome === 'sent') return this.deps.emails.markSent(claim, result.messageId, new Date());
      if (result.outcome === 'failed') return this.deps.emails.markFailed(claim, truncate(result.reason));
      const nextAttemptAt = new Date(Date.now() + this.deps.retry.delayMs(email.attempts));
      return this.deps.emails.scheduleRetry(claim, truncate(result.reason), nextAttemptAt, result.delivered);
    };
    let held: boolean | undefined;
    for (let attempt = 1; held === undefined; attempt++) {
      try {
        held = await write();
      } catch (error) {
        if (attempt >= 5) {
          log.error(
            { err: error, outcome: result.outcome },
            'e-mail dispatcher: could not record the outcome; the row returns after its lease',
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
    if (!held) {
      log.warn({ outcome: result.outcome }, 'e-mail dispatcher: the claim was lost before the outcome was recorded');
      return;
    }
    this.deps.metrics.attempts.inc({ template: email.template, outcome: result.outcome });
    if (result.outcome === 'retry') {
      log.warn({ reason: result.reason }, 'e-mail send failed; will retry');
    } else if (result.outcome === 'failed') {
      this.deps.metrics.finished.inc({ template: email.template, status: 'failed' });
      log.error({ reason: result.reason }, 'e-mail failed for good');
    } else {
      this.deps.metrics.finished.inc({ template: email.template, status: 'sent' });
      log.info({ message_id: result.messageId, transport: this.deps.transport.name }, 'e-mail sent');
    }
  }
}

/** What one attempt came to; a retry says whether the failed send may have gone anyway. */
type Outcome =
  | { outcome: 'sent'; messageId: string }
  | { outcome: 'failed'; reason: string }
  | { outcome: 'retry'; reason: string; delivered: 'no' | 'unknown' };

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
