import { loadConfigOrExit } from '@merchant-platform/common/config';
import { openDatabase } from '@merchant-platform/common/db/database';
import { createLogger } from '@merchant-platform/common/logger';
import { allInOneConfigSchema } from './config.js';
import { migrateAll } from './platform.js';

/** `npm run migrate`: every service's migrations against DATABASE_URL (default: the all-in-one SQLite file). */
const config = loadConfigOrExit(allInOneConfigSchema);
const logger = createLogger({ level: config.LOG_LEVEL, name: 'migrate' });
const db = await openDatabase(config.DATABASE_URL, { logger });
try {
  await migrateAll({ db, logger });
} finally {
  await db.close();
}
