import { notFound } from '@merchant-platform/common/errors';
import type { EmailMetrics } from '../metrics.js';
import type { OutboxRepository } from './email.js';
import type { EmailRequest } from './email-request.js';
import { presentAccepted, presentEmail } from './presenters.js';
import type { EmailAcceptedView, EmailView } from './views.js';

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

  /** `request` has passed `EmailRequest` where it came in; `caller` is the calling service's identity. */
  async enqueue(caller: string, request: EmailRequest): Promise<EmailAcceptedView> {
    const idempotency_key = request.idempotency_key ?? null;
    if (idempotency_key) {
      const earlier = await this.emails.findByIdempotencyKey(caller, idempotency_key);
      if (earlier) return presentAccepted(earlier);
    }
    const inserted = await this.emails.insert({ caller, idempotency_key, template: request.template, to: request.to, data: request.data });
    if (!inserted) {
      // A concurrent request with the same key won the unique index; answer with its row.
      const winner = idempotency_key ? await this.emails.findByIdempotencyKey(caller, idempotency_key) : undefined;
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
