import { z } from 'zod';
import type { ApiRouter, Guard } from '@merchant-platform/common/http/api-router';
import { email } from '@merchant-platform/common/fields';
import { exportRecipient, RecipientExportView, type RecipientRepository } from '../domain/recipient-data.js';

const RecipientQuery = z.object({ address: email });

/**
 * Auth's call for a person's data export: the e-mails sent to their address. Under `/internal/`,
 * so it stays out of the public OpenAPI document; service credential only.
 */
export function recipientRoutes(api: ApiRouter, records: RecipientRepository, service: Guard): ApiRouter {
  return api.route({
    method: 'get',
    path: '/internal/recipients/export',
    summary: 'The e-mails sent to an address: template, status and times, never their data or body (services only)',
    tags: ['internal'],
    guards: [service],
    query: RecipientQuery,
    responses: { 200: { description: 'Oldest first', schema: RecipientExportView } },
    handler: async (ctx, { query }) => {
      ctx.body = await exportRecipient(records, query.address);
    },
  });
}
