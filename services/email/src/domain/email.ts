/** An outbox row as the domain sees it; the repository maps rows to and from this. */
export type EmailStatus = 'queued' | 'sent' | 'failed';

export interface EmailRecord {
  id: string;
  /** Who asked for it (a service identity); idempotency keys are unique per caller. */
  caller: string;
  idempotency_key: string | null;
  template: string;
  recipient: string;
  /** The template data; erased once the row is final, so one-time codes do not linger. */
  data: Record<string, unknown> | null;
  status: EmailStatus;
  attempts: number;
  message_id: string | null;
  last_error: string | null;
  next_attempt_at: Date;
  created_at: Date;
  sent_at: Date | null;
}

export interface NewEmail {
  caller: string;
  idempotency_key: string | null;
  template: string;
  recipient: string;
  data: Record<string, unknown>;
}

/** A claimed row: reserved for one dispatcher until `leaseExpiresAt`, fenced by `claimToken`. */
export interface ClaimedEmail {
  email: EmailRecord;
  claimToken: string;
  leaseExpiresAt: Date;
}

export interface OutboxRepository {
  /** Inserts and commits the row, or returns undefined when the caller already used this key. */
  insert(email: NewEmail): Promise<EmailRecord | undefined>;
  findById(id: string): Promise<EmailRecord | undefined>;
  findByIdempotencyKey(caller: string, key: string): Promise<EmailRecord | undefined>;
  /**
   * Reserves up to `limit` queued rows that are due at `now`, counting an attempt for each,
   * so that no other dispatcher (in this process or another replica) can claim them.
   */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<ClaimedEmail[]>;
  /** Each returns false when the claim was lost (the lease expired and someone else took the row). */
  markSent(claim: ClaimedEmail, messageId: string, at: Date): Promise<boolean>;
  markFailed(claim: ClaimedEmail, error: string, at: Date): Promise<boolean>;
  scheduleRetry(claim: ClaimedEmail, error: string, nextAttemptAt: Date): Promise<boolean>;
  queueStats(): Promise<{ depth: number; oldestCreatedAt: Date | null }>;
}

/** A message ready to go: the template rendered with its data. */
export interface RenderedEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Where rendered mail goes: SES, or the log in `EMAIL_TRANSPORT=log` mode. */
export interface MailTransport {
  readonly name: string;
  /** Resolves with the provider's message id, or throws a DeliveryError. */
  send(email: RenderedEmail, context: { emailId: string; template: string }): Promise<{ messageId: string }>;
}

/** A failed send, classified: retryable (throttling, 5xx, network) or permanent (a rejection). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
