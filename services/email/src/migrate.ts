import { loadConfigOrExit, migrationEnvSchema } from '@merchant-platform/common/config';
import { runMigrations } from '@merchant-platform/common/service-runtime';
import { emailMigrations } from './data/migrations/index.js';

await runMigrations({ service: 'email', config: loadConfigOrExit(migrationEnvSchema), migrations: emailMigrations });
