import type { Logger } from '../logger.js';

export interface PollingOptions {
  /** How long to wait after a round that found less than a full batch. */
  pollIntervalMs: number;
  /** Named in the log line when a round throws. */
  name: string;
  logger: Logger;
}

/**
 * A background worker (an outbox dispatcher) beside the HTTP server: it runs `round()`, then
 * waits unless the round was full or someone called `wake()`. `stop()` resolves once the round
 * in flight has finished, so a shutdown never cuts an attempt in half.
 */
export abstract class PollingWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private woken = false;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly pollOptions: PollingOptions) {}

  /** One round of work; resolves true when it found a full batch (more is likely due: go again at once). */
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
      let full = false;
      try {
        full = await this.round();
      } catch (error) {
        this.pollOptions.logger.error({ err: error }, `${this.pollOptions.name}: could not claim rows; will try again`);
      }
      if (!full) await this.idle();
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
      const timer = setTimeout(done, this.pollOptions.pollIntervalMs);
      this.wakeUp = done;
    });
  }
}
