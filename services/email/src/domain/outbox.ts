import { z } from 'zod';
import { notFound, validationFailed } from '@merchant-platform/common/errors';
import { email as emailAddress } from '@merchant-platform/common/http/fields';
import type { EmailMetrics } from '../metrics.js';
import type { OutboxRepository } from './email.js';
import { presentAccepted, presentEmail, type EmailAccepted, type EmailView } from './presenters.js';
import { TEMPLATE_NAMES, TemplateCatalog } from './templates.js';

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

const IdempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

/** Anything else cannot be an id this service issued: 404 without a query. */
const OPAQUE_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The outbox use-cases. A message is committed before `enqueue` resolves, so an accepted
 * message survives any crash; the dispatcher delivers it later, off the request path.
 */
export class Outbox {
  constructor(
    private readonly emails: OutboxRepository,
    private readonly templates: TemplateCatalog,
    private readonly metrics: EmailMetrics,
    /** Tells the local dispatcher there is work, so it need not wait for its next poll. */
    private readonly onEnqueued: () => void = () => {},
  ) {}

  async enqueue(request: EnqueueRequest): Promise<EmailAccepted> {
    const to = emailAddress.safeParse(request.to);
    const key = request.idempotencyKey == null ? undefined : IdempotencyKey.safeParse(request.idempotencyKey);
    const details = [
      ...(to.success ? [] : [{ path: 'to', message: 'must be an email address' }]),
      ...(key && !key.success ? [{ path: 'idempotency_key', message: 'must be 1-200 characters without control characters' }] : []),
      ...(TemplateCatalog.isTemplate(request.template)
        ? []
        : [{ path: 'template', message: `must be one of ${TEMPLATE_NAMES.join(', ')}` }]),
    ];
    if (details.length > 0 || !to.success || !TemplateCatalog.isTemplate(request.template)) throw validationFailed(details);
    const data = this.templates.parseData(request.template, request.data);
    const idempotencyKey = key?.success ? key.data : null;

    if (idempotencyKey) {
      const earlier = await this.emails.findByIdempotencyKey(request.caller, idempotencyKey);
      if (earlier) return presentAccepted(earlier);
    }
    const inserted = await this.emails.insert({
      caller: request.caller,
      idempotency_key: idempotencyKey,
      template: request.template,
      recipient: to.data,
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
