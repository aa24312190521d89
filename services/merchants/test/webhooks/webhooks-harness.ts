import { randomUUID } from 'node:crypto';
import type { PlatformEvent } from '../../src/domain/webhooks/event-types.js';
import type { Resolver } from '../../src/domain/webhooks/target-policy.js';
import type { DeliveryView, WebhookView } from '../../src/domain/webhooks/webhook-views.js';
import type { Person, teamsStage } from '../teams/teams-harness.js';

export type CreatedWebhook = { webhook: WebhookView; secret: string };
export type WebhookList = { items: WebhookView[] };
export type DeliveryLog = { items: DeliveryView[]; next_cursor: string | null };

/** A public address (TEST-NET would be refused as reserved): what "a public host" resolves to in these tests. */
export const PUBLIC_ADDRESS = '93.184.216.34';

/** Plays DNS: names in the table answer their addresses, anything else does not resolve. */
export function tableResolver(table: Record<string, string[]>): Resolver {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

/** Creates a webhook through the route, as an owner would; fails the test on anything but 201. */
export async function createWebhook(
  stage: ReturnType<typeof teamsStage>,
  owner: Person,
  merchantId: string,
  body: Record<string, unknown>,
): Promise<CreatedWebhook> {
  const res = await stage.call<CreatedWebhook>('POST', `/merchants/${merchantId}/webhooks`, { token: owner.token(), json: body });
  if (res.status !== 201) throw new Error(`could not create a webhook: ${res.status} ${res.text}`);
  return res.body;
}

/** A `member.joined` event of the merchant, fresh each call (its id is the deliveries' webhook-id). */
export const eventFor = (merchantId: string): PlatformEvent => ({
  id: randomUUID(),
  type: 'member.joined',
  created_at: new Date().toISOString(),
  actor: { type: 'user', id: randomUUID() },
  subject: { type: 'membership', id: randomUUID() },
  merchant_id: merchantId,
  data: { role: 'viewer' },
});
