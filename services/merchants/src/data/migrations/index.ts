import type { Migration } from '@merchant-platform/common/db/migrations';
import { createMerchants } from './0001-create-merchants.js';
import { createMemberships } from './0002-create-memberships.js';

/** In order; a build expects exactly these to be applied (readiness checks it). */
export const merchantsMigrations: Migration[] = [createMerchants, createMemberships];
