import { loadConfigOrExit, migrationEnvSchema } from '@merchant-platform/common/config';
import { runMigrations } from '@merchant-platform/common/service-runtime';
import { authMigrations } from './data/migrations/index.js';

await runMigrations({ service: 'auth', config: loadConfigOrExit(migrationEnvSchema), migrations: authMigrations });
