import type { Sequelize } from 'sequelize';
import { EventConsumer } from '@merchant-platform/common/events/consumer';

/** What `user.deleted` calls (domain/user-erasure.ts): every row to the address, up to the deletion. */
export type EraseEmailsTo = (address: string, createdUpTo?: Date) => Promise<unknown>;

/**
 * The email service acts on one event: a deleted user's mail rows go. The address is not in the
 * stored event (it is personal data); auth carries it in the delivery only.
 */
export function emailEventConsumer(sequelize: Sequelize, eraseEmailsTo: EraseEmailsTo): EventConsumer {
  return new EventConsumer(sequelize, 'email', {
    'user.deleted': async (event) => {
      const address = event.delivery['email'];
      if (address) await eraseEmailsTo(address, new Date(event.created_at));
    },
  });
}
