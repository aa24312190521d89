import { currentTransaction } from '@merchant-platform/common/db/transaction-scope';
import { Op, type Sequelize } from 'sequelize';
import type { EmailRecord } from '../domain/email.js';
import type { RecipientRepository } from '../domain/recipient-data.js';
import { toEmail } from './email-repository.js';
import { defineEmailModel, type EmailRow } from './email-model.js';

/** The outbox rows of one recipient, for their data export and erasure. */
export class SequelizeRecipientRepository implements RecipientRepository {
  private readonly model: typeof EmailRow;

  constructor(sequelize: Sequelize) {
    this.model = defineEmailModel(sequelize);
  }

  async listTo(address: string): Promise<EmailRecord[]> {
    const rows = await this.model.findAll({
      where: { to: address },
      order: [
        ['created_at', 'ASC'],
        ['id', 'ASC'],
      ],
    });
    return rows.map(toEmail);
  }

  async eraseTo(address: string, createdUpTo: Date | undefined): Promise<number> {
    // Inside the user.deleted consumer's transaction when there is one, so the erasure and the event's receipt commit together.
    return this.model.destroy({
      where: { to: address, ...(createdUpTo ? { created_at: { [Op.lte]: createdUpTo } } : {}) },
      transaction: currentTransaction(),
    });
  }
}
