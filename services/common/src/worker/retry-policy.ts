export interface RetryPolicyOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Exponential back-off with jitter: before attempt n+1 wait a random time in [d/2, d] with
 * d = min(max, base * 2^(n-1)). The jitter spreads a burst of failures (an SES outage) so the
 * retries do not all arrive together when it comes back.
 */
export class RetryPolicy {
  constructor(
    private readonly options: RetryPolicyOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** Whether a row that failed its `attempts`-th attempt with a retryable error gets another. */
  mayRetry(attempts: number): boolean {
    return attempts < this.options.maxAttempts;
  }

  delayMs(attempts: number): number {
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }
}
