import { createProcessedEventsMigration } from '@merchant-platform/common/events/event-table-migrations';

/** The ids of auth's events the email service has acted on (`email_processed_events`): each acts once. */
export const createEmailProcessedEvents = createProcessedEventsMigration('0004-create-email-processed-events', 'email');
