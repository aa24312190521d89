import { z } from 'zod';
import { optionalText } from '@merchant-platform/common/fields';
import { SUBSCRIBABLE } from '../domain/webhooks/event-types.js';

/**
 * Any https:// URL (an IP literal too: whether its address may be called is the target policy's
 * rule, checked after this), with no credentials in it.
 */
const webhookUrl = z
  .url({ protocol: /^https$/, error: 'must be an https:// URL' })
  .max(2048)
  .refine((value) => {
    // Refinements run even after the URL check failed; such a value already has its issue.
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return url.username === '' && url.password === '';
  }, 'must not carry a user name or password');

export const NewWebhookBody = z.object({
  url: webhookUrl,
  events: z
    .array(z.enum(SUBSCRIBABLE, { error: 'must be an event type of the contract, or *' }))
    .min(1)
    .max(SUBSCRIBABLE.length),
  description: optionalText(500),
});

export const WebhookParams = z.object({ id: z.string().min(1).max(64), webhook_id: z.string().min(1).max(64) });

export const DeliveryParams = WebhookParams.extend({ delivery_id: z.string().min(1).max(64) });
