import type { Migration } from '@merchant-platform/common/db/migrations';
import { createEventLogMigration, createProcessedEventsMigration } from '@merchant-platform/common/events/event-table-migrations';

const eventLog = createEventLogMigration('0007-create-merchant-events', 'merchants');
const processed = createProcessedEventsMigration('0007-create-merchant-events', 'merchants');

/**
 * Merchants' event log (`merchants_events`: the merchant's events, its webhooks' source) and
 * outbox, and the ids of auth's events it has acted on (`merchants_processed_events`).
 */
export const createMerchantEvents: Migration = {
  name: '0007-create-merchant-events',
  async up(qi, sequelize) {
    await eventLog.up(qi, sequelize);
    await processed.up(qi, sequelize);
  },
  async down(qi, sequelize) {
    await processed.down?.(qi, sequelize);
    await eventLog.down?.(qi, sequelize);
  },
};
