import { DataTypes } from 'sequelize';
import type { Migration } from '@merchant-platform/common/db/migrations';

/** When the current attempt's send began; see `EmailRecord.send_attempted_at`. */
export const addSendAttemptedAt: Migration = {
  name: '0002-add-send-attempted-at',
  async up(qi) {
    await qi.addColumn('email_outbox', 'send_attempted_at', { type: DataTypes.DATE(3), allowNull: true });
  },
  async down(qi) {
    await qi.removeColumn('email_outbox', 'send_attempted_at');
  },
};
