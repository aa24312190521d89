import { notFound, validationFailed } from '@merchant-platform/common/errors';
import type { EmailMetrics } from '../metrics.js';
import type { OutboxRepository } from './email.js';
import { presentAccepted, presentEmail, type EmailAccepted, type EmailView } from './presenters.js';
import { EmailRequest } from './email-request.js';

/** What a caller asks for; HTTP callers and in-process callers (all-in-one auth) alike. */
export interface EnqueueRequest {
  to: string;
  template: string;
  data: unknown;
  /** 1-200 characters, unique per caller: the same key again returns the first message. */
  idempotencyKey?: string | null;
  /** The calling service's identity. */
  caller: string;
}

/** Anything else cannot be an id this service issued: 404 without a query. */
const OPAQUE_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The outbox use-cases. A message is committed before `enqueue` resolves, so an accepted
 * message survives any crash; the dispatcher delivers it later, off the request path.
 */
export class Outbox {
  constructor(
    private readonly emails: OutboxRepository,
    private readonly metrics: EmailMetrics,
    /** Tells the local dispatcher there is work, so it need not wait for its next poll. */
    private readonly onEnqueued: () => void = () => {},
  ) {}

  async enqueue(request: EnqueueRequest): Promise<EmailAccepted> {
    const parsed = EmailRequest.safeParse({
      to: request.to,
      template: request.template,
      data: request.data,
      idempotency_key: request.idempotencyKey ?? undefined,
    });
    if (!parsed.success) {
      throw validationFailed(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })));
    }
    const { to, template, data } = parsed.data;
    const idempotencyKey = parsed.data.idempotency_key ?? null;

    if (idempotencyKey) {
      const earlier = await this.emails.findByIdempotencyKey(request.caller, idempotencyKey);
      if (earlier) return presentAccepted(earlier);
    }
    const inserted = await this.emails.insert({
      caller: request.caller,
      idempotency_key: idempotencyKey,
      template,
      recipient: to,
      data,
    });
    if (!inserted) {
      // A concurrent request with the same key won the unique index; answer with its row.
      const winner = idempotencyKey ? await this.emails.findByIdempotencyKey(request.caller, idempotencyKey) : undefined;
      if (!winner) throw new Error('idempotency key conflict without a stored row');
      return presentAccepted(winner);
    }
    this.metrics.enqueued.inc({ template: inserted.template });
    this.onEnqueued();
    return presentAccepted(inserted);
  }

  /** A caller sees only the messages it sent; anything else is 404, as if it did not exist. */
  async get(caller: string, id: string): Promise<EmailView> {
    const email = OPAQUE_ID.test(id) ? await this.emails.findById(id) : undefined;
    if (!email || email.caller !== caller) throw notFound('No e-mail with this id.');
    return presentEmail(email);
  }
}
