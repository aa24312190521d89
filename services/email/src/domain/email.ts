/**
 * An outbox row as the domain sees it. Field names are the contract's, snake_case from the
 * route to the repository (the column behind `to` is `recipient`: TO is a reserved word).
 */
export const EMAIL_STATUSES = ['queued', 'sent', 'failed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

export interface EmailRecord {
  id: string;
  /** Who asked for it (a service identity); idempotency keys are unique per caller. */
  caller: string;
  idempotency_key: string | null;
  template: string;
  to: string;
  /** The template data; erased once the row is final, so one-time codes do not linger. */
  data: Record<string, unknown> | null;
  status: EmailStatus;
  attempts: number;
  /**
   * Set (and committed) just before each send; cleared when the transport's answer proves the
   * mail did not go. Found set on a claim, it means an earlier send may have reached SES
   * without its outcome being recorded: sending again is a possible duplicate.
   */
  send_attempted_at: Date | null;
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
  to: string;
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
  markSendAttempted(claim: ClaimedEmail, at: Date): Promise<boolean>;
  markSent(claim: ClaimedEmail, messageId: string, at: Date): Promise<boolean>;
  markFailed(claim: ClaimedEmail, error: string): Promise<boolean>;
  /** `delivered: 'no'` clears the send mark; `'unknown'` (no answer came) keeps it for the next claim to count. */
  scheduleRetry(claim: ClaimedEmail, error: string, nextAttemptAt: Date, delivered: 'no' | 'unknown'): Promise<boolean>;
  queueStats(): Promise<{ depth: number; oldestCreatedAt: Date | null }>;
}

/** A message ready to go: the template rendered with its data. */
export interface RenderedEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The one-time code the mail carries, if any: the development console prints it on its own line. */
  code?: string;
}

/** Where rendered mail goes: SES, or the log in `EMAIL_TRANSPORT=log` mode. */
export interface MailTransport {
  readonly name: string;
  /** Resolves with the provider's message id, or throws a DeliveryError. */
  send(email: RenderedEmail, context: { emailId: string; template: string }): Promise<{ messageId: string }>;
}

/**
 * A failed send, classified: retryable (throttling, 5xx, network) or permanent (a rejection);
 * and whether the mail may have gone anyway (`maybeDelivered`: the request left but no answer
 * came back, as in a timeout).
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly maybeDelivered = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
