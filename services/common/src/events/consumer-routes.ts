import type { ApiRouter } from '../http/api-router.js';
import type { ServiceAuthenticator } from '../service-auth/service-authenticator.js';
import { requireService } from '../service-auth/service-guard.js';
import type { EventConsumer } from './consumer.js';
import { DeliveredEvent } from './event.js';

/** Adds `POST /internal/events`: where recording services deliver the events this service acts on. */
export function eventConsumerRoutes(api: ApiRouter, consumer: EventConsumer, authenticator: ServiceAuthenticator): ApiRouter {
  return api.route({
    method: 'post',
    path: '/internal/events',
    summary: 'Deliver an event to this service',
    description:
      'Cluster-internal; callers authenticate as a service. Acts on the event once: a repeated delivery of the same ' +
      'event id answers 204 and changes nothing. Types this service does not act on are acknowledged.',
    tags: ['internal'],
    guards: [requireService(authenticator)],
    body: DeliveredEvent,
    responses: { 204: { description: 'Acted on (now or before)' } },
    handler: async (ctx, { body }) => {
      await consumer.handle(body);
      ctx.status = 204;
    },
  });
}
