import type { Migration } from '@merchant-platform/common/db/migrations';
import { createMerchants } from './0001-create-merchants.js';
import { createMemberships } from './0002-create-memberships.js';
import { createApiKeys } from './0003-create-api-keys.js';
import { createInvitations } from './0004-create-invitations.js';
import { createUserDepartures } from './0005-create-user-departures.js';
import { createWebhooks } from './0006-create-webhooks.js';
import { createMerchantEvents } from './0007-create-merchant-events.js';

/** In order; a build expects exactly these to be applied (readiness checks it). */
export const merchantsMigrations: Migration[] = [
  createMerchants,
  createMemberships,
  createApiKeys,
  createInvitations,
  createUserDepartures,
  createWebhooks,
  createMerchantEvents,
];
