import type { Migration } from '@merchant-platform/common/db/migrations';
import { createEmailOutbox } from './0001-create-email-outbox.js';
import { addSendAttemptedAt } from './0002-add-send-attempted-at.js';
import { indexRecipient } from './0003-index-recipient.js';
import { createEmailProcessedEvents } from './0004-create-email-processed-events.js';

/** In order; a build expects exactly these to be applied (readiness checks it). */
export const emailMigrations: Migration[] = [createEmailOutbox, addSendAttemptedAt, indexRecipient, createEmailProcessedEvents];
