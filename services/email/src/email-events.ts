import { Op, type Sequelize } from 'sequelize';
import { currentTransaction } from '@merchant-platform/common/db/transaction-scope';
import { EventConsumer } from '@merchant-platform/common/events/consumer';
import { defineEmailModel } from './data/email-model.js';

/** What `user.deleted` calls (domain/user-erasure.ts, the data-rights work): every row to the address, up to the deletion. */
export type EraseEmailsTo = (address: string, createdUpTo?: Date) => Promise<unknown>;

/**
 * The email service acts on one event: a deleted user's mail rows go. The address is not in the
 * stored event (it is personal data); auth carries it in the delivery only.
 */
export function emailEventConsumer(sequelize: Sequelize, eraseEmailsTo: EraseEmailsTo | undefined): EventConsumer {
  const erase = eraseEmailsTo ?? standInErasure(sequelize);
  return new EventConsumer(sequelize, 'email', {
    'user.deleted': async (event) => {
      const address = event.delivery['email'];
      if (address) await erase(address, new Date(event.created_at));
    },
  });
}

/** Until the data-rights erasure is wired: deletes the rows to the address created up to the deletion, in the consumer's transaction. */
function standInErasure(sequelize: Sequelize): EraseEmailsTo {
  const emails = defineEmailModel(sequelize);
  return (address, createdUpTo = new Date()) =>
    emails.destroy({
      where: { to: address.trim().toLowerCase(), created_at: { [Op.lte]: createdUpTo } },
      transaction: currentTransaction(),
    });
}
