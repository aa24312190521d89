/**
 * Spaces sends at most `perSecond` apart (SES accounts have a maximum send rate). Callers
 * reserve the next free slot in order, so concurrent sends in a batch queue up fairly.
 */
export class SendRateLimiter {
  private readonly intervalMs: number;
  private nextSlot = 0;

  constructor(perSecond: number) {
    this.intervalMs = 1000 / perSecond;
  }

  async acquire(): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMs;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }
}
