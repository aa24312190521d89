import type { Migration } from '@merchant-platform/common/db/migrations';
import { createMerchants } from './0001-create-merchants.js';
import { createMemberships } from './0002-create-memberships.js';
import { createApiKeys } from './0003-create-api-keys.js';
import { createMerchantEvents } from './0004-create-merchant-events.js';

/** In order; a build expects exactly these to be applied (readiness checks it). */
export const merchantsMigrations: Migration[] = [createMerchants, createMemberships, createApiKeys, createMerchantEvents];
