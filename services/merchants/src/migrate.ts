import { loadConfigOrExit, migrationEnvSchema } from '@merchant-platform/common/config';
import { runMigrations } from '@merchant-platform/common/service-runtime';
import { merchantsMigrations } from './data/migrations/index.js';

await runMigrations({ service: 'merchants', config: loadConfigOrExit(migrationEnvSchema), migrations: merchantsMigrations });
