import type { Logger } from '../logger.js';
import type { RevocationSource } from './revocation-feed.js';
import type { RevocationList } from './revocation-list.js';

/** Pages read in one poll at most, so a huge backlog cannot keep one poll running forever. */
const MAX_PAGES_PER_POLL = 50;

/**
 * Keeps a RevocationList current: every `intervalMs` it reads what is new in the source and adds
 * it. When the source cannot be read the list keeps what it has (tokens that were revoked stay
 * refused; newer revocations wait until the source answers again) and the outage is logged once,
 * with its end.
 */
export class RevocationPoller {
  private cursor: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failingSince: number | undefined;

  constructor(
    private readonly source: RevocationSource,
    readonly list: RevocationList,
    private readonly options: { intervalMs: number; logger: Logger },
  ) {}

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.running = this.pollOnce().finally(() => {
        this.running = undefined;
        if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One poll: reads every new page; never throws. */
  async pollOnce(): Promise<void> {
    try {
      for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
        const result = await this.source.fetchAfter(this.cursor);
        for (const entry of result.items) this.list.add(entry);
        this.cursor = result.next_cursor;
        if (!result.has_more) break;
      }
      this.list.prune();
      if (this.failingSince !== undefined) {
        this.options.logger.info({ outageMs: Date.now() - this.failingSince }, 'revocation feed reachable again');
        this.failingSince = undefined;
      }
    } catch (error) {
      if (this.failingSince === undefined) {
        this.failingSince = Date.now();
        this.options.logger.warn({ err: error }, 'revocation feed unreachable: keeping the last list until it answers');
      }
    }
  }
}
