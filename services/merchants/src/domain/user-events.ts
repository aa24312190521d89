import type { EventHandlers } from '@merchant-platform/common/events/consumer';
import type { MembershipRepository } from './membership.js';

/** What `user.deleted` calls to remove the user from merchants (domain/user-erasure.ts, the data-rights work). */
export type EraseUserData = (userId: string) => Promise<unknown>;

/** Removes personal data of a deleted user from merchants' event log (common's EventLog). */
export interface EventErasure {
  eraseUser(userId: string): Promise<unknown>;
}

/**
 * How merchants acts on auth's events: membership copies of a user's address and name follow
 * their account; a deleted user leaves every merchant and their personal data leaves the log.
 * `user.disabled` needs nothing here: the revocation feed already refuses their tokens.
 */
export function userEventHandlers(deps: {
  memberships: MembershipRepository;
  eraseUserData: EraseUserData;
  events: EventErasure;
}): EventHandlers {
  return {
    'user.email_changed': async (event) => {
      const email = event.data['new_email'];
      if (typeof email === 'string' && event.subject.id) await deps.memberships.updateContactForUser(event.subject.id, { email });
    },
    'user.profile_updated': async (event) => {
      const name = event.data['name'];
      if (typeof name === 'string' && event.subject.id) await deps.memberships.updateContactForUser(event.subject.id, { name });
    },
    'user.deleted': async (event) => {
      if (!event.subject.id) return;
      await deps.eraseUserData(event.subject.id);
      await deps.events.eraseUser(event.subject.id);
    },
  };
}
