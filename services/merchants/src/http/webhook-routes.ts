import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiRouter, Guard } from '@merchant-platform/common/http/api-router';
import { PageQuery } from '@merchant-platform/common/pagination';
import type { MerchantAccess } from '../domain/access.js';
import { DeliveryView, WebhookView } from '../domain/webhooks/webhook-views.js';
import type { Webhooks } from '../domain/webhooks/webhooks.js';
import { currentPrincipal, memberOf } from './access-guard.js';
import { MerchantIdParams } from './schemas.js';
import { DeliveryParams, NewWebhookBody, WebhookParams } from './webhook-schemas.js';

const tags = ['webhooks'];

/** A merchant's webhooks: owner, admin, or an API key with `webhooks:manage`. */
export function webhookRoutes(
  router: ApiRouter,
  openapi: OpenAPIRegistry,
  deps: { user: Guard; access: MerchantAccess; webhooks: Webhooks },
): ApiRouter {
  const { webhooks } = deps;
  const manage = memberOf(deps.user, deps.access, 'webhooks:manage');
  const webhook = openapi.register('Webhook', WebhookView);
  const delivery = openapi.register('WebhookDelivery', DeliveryView);

  return router
    .route({
      method: 'post',
      path: '/merchants/{id}/webhooks',
      summary: 'Add a webhook endpoint',
      description:
        'The `whsec_…` signing secret is in this answer only; it is stored encrypted. `events` are event types or `*`. ' +
        'A URL that is not https://, or whose host resolves to a loopback, private, link-local, CGNAT or other non-public address, gets 422.',
      tags,
      guards: [manage],
      params: MerchantIdParams,
      body: NewWebhookBody,
      responses: {
        201: { description: 'Created', schema: z.object({ webhook, secret: z.string().describe('`whsec_…`, shown only in this answer') }) },
      },
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        ctx.body = await webhooks.create(currentPrincipal(ctx).merchantId, body);
      },
    })
    .route({
      method: 'get',
      path: '/merchants/{id}/webhooks',
      summary: 'A merchant’s webhook endpoints',
      description: 'Oldest first. An endpoint that failed for 3 days is listed with `enabled: false`.',
      tags,
      guards: [manage],
      params: MerchantIdParams,
      responses: { 200: { description: 'The endpoints', schema: z.object({ items: z.array(webhook) }) } },
      handler: async (ctx) => {
        ctx.body = { items: await webhooks.list(currentPrincipal(ctx).merchantId) };
      },
    })
    .route({
      method: 'delete',
      path: '/merchants/{id}/webhooks/{webhook_id}',
      summary: 'Remove a webhook endpoint and its delivery log',
      tags,
      guards: [manage],
      params: WebhookParams,
      errors: [404],
      responses: { 204: { description: 'Removed' } },
      handler: async (ctx, { params }) => {
        await webhooks.delete(currentPrincipal(ctx).merchantId, params.webhook_id);
        ctx.status = 204;
      },
    })
    .route({
      method: 'post',
      path: '/merchants/{id}/webhooks/{webhook_id}/test',
      summary: 'Send a `webhook.test` event to this endpoint',
      description: 'Queued at once and delivered like any event (signed, retried); follow it in the delivery log.',
      tags,
      guards: [manage],
      params: WebhookParams,
      errors: [404],
      responses: { 202: { description: 'Queued' } },
      handler: async (ctx, { params }) => {
        await webhooks.sendTest(currentPrincipal(ctx), params.webhook_id);
        ctx.status = 202;
      },
    })
    .route({
      method: 'get',
      path: '/merchants/{id}/webhooks/{webhook_id}/deliveries',
      summary: 'The endpoint’s delivery log, oldest first',
      tags,
      guards: [manage],
      params: WebhookParams,
      query: PageQuery,
      errors: [404],
      responses: {
        200: { description: 'A page', schema: z.object({ items: z.array(delivery), next_cursor: z.string().nullable() }) },
      },
      handler: async (ctx, { params, query }) => {
        ctx.body = await webhooks.deliveryLog(currentPrincipal(ctx).merchantId, params.webhook_id, query);
      },
    })
    .route({
      method: 'post',
      path: '/merchants/{id}/webhooks/{webhook_id}/deliveries/{delivery_id}/retry',
      summary: 'Attempt a delivery again, now',
      description: 'Whatever its status: a delivered one is sent again, with the same `webhook-id`.',
      tags,
      guards: [manage],
      params: DeliveryParams,
      errors: [404],
      responses: { 202: { description: 'Queued' } },
      handler: async (ctx, { params }) => {
        await webhooks.retry(currentPrincipal(ctx).merchantId, params.webhook_id, params.delivery_id);
        ctx.status = 202;
      },
    });
}
