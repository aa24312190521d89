import type { EventType } from '@merchant-platform/common/events/catalogue';
import type { EventActor, EventSubject, NewEvent } from '@merchant-platform/common/events/event';
import type { EventfulChanges } from '@merchant-platform/common/events/eventful-changes';
import type { Merchant, MerchantProfileInput } from './merchant.js';
import type { Principal } from './principal.js';

/** The actor of a change made through a merchant route: the member, or the merchant's API key. */
export function actorOf(principal: Principal | { userId: string }): EventActor {
  if ('kind' in principal && principal.kind === 'api_key') return { type: 'api_key', id: principal.keyId };
  return { type: 'user', id: principal.userId };
}

/** An event about one of a merchant's things (the merchant, a member, a key), by whoever acted. */
export function merchantEvent<T extends EventType>(
  type: T,
  by: Principal | { userId: string },
  merchantId: string,
  subject: EventSubject,
  data: NewEvent<T>['data'],
): NewEvent<T> {
  return { type, actor: actorOf(by), subject, merchantId, data };
}

export const merchantSubject = (id: string): EventSubject => ({ type: 'merchant', id });
export const memberSubject = (userId: string): EventSubject => ({ type: 'member', id: userId });
export const invitationSubject = (id: string): EventSubject => ({ type: 'invitation', id });
export const webhookSubject = (id: string): EventSubject => ({ type: 'webhook', id });
export const apiKeySubject = (id: string): EventSubject => ({ type: 'api_key', id });

/**
 * Replaces a merchant's profile and records `merchant.updated` naming the fields whose values
 * changed (the values stay out: the profile route shows them); a replace that changed nothing
 * records nothing. Undefined when there is no such merchant.
 */
export async function replaceProfile(
  events: EventfulChanges,
  by: Principal | { userId: string },
  profile: MerchantProfileInput,
  find: () => Promise<Merchant | undefined>,
  replace: () => Promise<Merchant | undefined>,
): Promise<Merchant | undefined> {
  const result = await events.withChange(
    async () => {
      const before = await find();
      const after = before && (await replace());
      return after && { after, fields: changedFields(before, after, profile) };
    },
    (done) =>
      done &&
      done.fields.length > 0 &&
      merchantEvent('merchant.updated', by, done.after.id, merchantSubject(done.after.id), { fields: done.fields }),
  );
  return result?.after;
}

function changedFields(before: Merchant, after: Merchant, profile: MerchantProfileInput): string[] {
  const fields = Object.keys(profile) as (keyof MerchantProfileInput)[];
  return fields.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field])).sort();
}
