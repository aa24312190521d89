import type { MailRequest } from './mailer.js';

export type { UnitOfWork } from '@merchant-platform/common/events/eventful-changes';

export interface OutboxMail extends MailRequest {
  id: string;
  attempts: number;
}

export interface ClaimOptions {
  /** Only these rows (a request handing over what it queued); otherwise any due row. */
  ids?: string[];
  /** Only rows queued at or before this time. */
  queuedBefore?: Date;
  limit: number;
  leaseMs: number;
}

/** Auth's own outbox: mail rows written with the state they announce, relayed afterwards. */
export interface MailOutbox {
  /** Adds a row inside the current unit of work; returns its id. */
  add(mail: MailRequest): Promise<string>;
  /**
   * Claims due rows for `leaseMs`: a row another relay claimed is skipped, and a crashed relay's
   * rows come back when the lease ends.
   */
  claim(options: ClaimOptions): Promise<OutboxMail[]>;
  /** The mail was handed over: the row (and the code in its data) goes. */
  remove(id: string): Promise<void>;
  retryAt(id: string, at: Date, error: string): Promise<void>;
  /** Rows waiting and the age of the oldest, for the metrics. */
  backlog(): Promise<{ depth: number; oldestCreatedAt: Date | undefined }>;
}
