import { loadConfigOrExit, migrationEnvSchema } from '@merchant-platform/common/config';
import { runMigrations } from '@merchant-platform/common/service-runtime';
import { consoleMigrations } from './data/migrations/index.js';

await runMigrations({ service: 'console', config: loadConfigOrExit(migrationEnvSchema), migrations: consoleMigrations });
