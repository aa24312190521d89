import type { Migration } from '@merchant-platform/common/db/migrations';

/** A person's export and erasure find their mail by address, without reading the whole outbox. */
export const indexRecipient: Migration = {
  name: '0003-index-recipient',
  async up(qi) {
    await qi.addIndex('email_outbox', ['recipient', 'created_at'], { name: 'email_outbox_recipient' });
  },
  async down(qi) {
    await qi.removeIndex('email_outbox', 'email_outbox_recipient');
  },
};
