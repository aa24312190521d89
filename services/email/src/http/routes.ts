import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, type Guard } from '@merchant-platform/common/http/api-router';
import { EmailRequest } from '../domain/email-request.js';
import type { Outbox } from '../domain/outbox.js';
import { currentService } from '@merchant-platform/common/service-auth/service-guard';
import { EmailAcceptedView, EmailView } from '../domain/views.js';
import { EmailIdParams, LegacySendEmailBody } from './schemas.js';

export function emailRoutes(openapi: OpenAPIRegistry, outbox: Outbox, service: Guard): ApiRouter {
  const accepted = openapi.register('EmailAccepted', EmailAcceptedView);
  const email = openapi.register('Email', EmailView);
  const tags = ['email'];

  return new ApiRouter(openapi)
    .route({
      method: 'post',
      path: '/emails',
      summary: 'Queue an e-mail from a template',
      description:
        'Cluster-internal; callers authenticate as a service. The message is committed to the outbox before the 202 and ' +
        'delivered by the dispatcher. The same `idempotency_key` from the same caller returns the first message (its ' +
        'current status) and sends nothing new.',
      tags,
      guards: [service],
      body: EmailRequest,
      responses: { 202: { description: 'Queued (committed)', schema: accepted } },
      handler: async (ctx, { body }) => {
        ctx.status = 202;
        ctx.body = await outbox.enqueue(currentService(ctx).caller, body);
      },
    })
    .route({
      method: 'get',
      path: '/emails/{id}',
      summary: "A queued e-mail's delivery status",
      description: 'A caller sees only the messages it queued (404 otherwise). The template data is never returned.',
      tags,
      guards: [service],
      params: EmailIdParams,
      errors: [404],
      responses: { 200: { description: 'The message', schema: email } },
      handler: async (ctx, { params }) => {
        ctx.body = await outbox.get(currentService(ctx).caller, params.id);
      },
    })
    .route({
      method: 'post',
      path: '/send-email/',
      aliases: ['/send-email'],
      deprecated: true,
      summary: "The seed's send_emails endpoint: queues a verify_email message",
      description:
        'Kept for old callers. `otp` becomes the code; `subject` is ignored (the template sets it). A repeat with the same ' +
        '`user_id` and `otp` sends nothing new.',
      tags,
      guards: [service],
      body: LegacySendEmailBody,
      responses: { 202: { description: 'Queued (committed)', schema: accepted } },
      handler: async (ctx, { body }) => {
        ctx.status = 202;
        ctx.body = await outbox.enqueue(currentService(ctx).caller, {
          to: body.email,
          template: 'verify_email',
          data: { code: body.otp },
          idempotency_key: `send-email:${body.user_id}:${body.otp}`,
        });
      },
    });
}
