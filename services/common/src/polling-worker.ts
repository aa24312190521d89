/**
 * Background work done in rounds (an outbox dispatcher, a relay): `round` runs again at once
 * while it reports more work due, else after `intervalMs` or as soon as `wake()` says new work
 * arrived. A round that throws is reported and retried after the interval. `stop()` resolves
 * once the round in flight is done.
 */
export abstract class PollingWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private woken = false;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly polling: { intervalMs: number; onError: (error: unknown) => void }) {}

  /** One round of work; true when more is due at once. */
  protected abstract round(): Promise<boolean>;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    this.loop = undefined;
  }

  /** There is new work: skip the rest of the idle wait. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let moreDue = false;
      try {
        moreDue = await this.round();
      } catch (error) {
        this.polling.onError(error);
      }
      if (!moreDue) await this.idle();
    }
  }

  private idle(): Promise<void> {
    if (this.woken || !this.running) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, this.polling.intervalMs);
      this.wakeUp = done;
    });
  }
}
