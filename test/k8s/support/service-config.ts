import assert from 'node:assert/strict';
import type { z } from 'zod';
import { authConfigSchema } from '@merchant-platform/auth/config';
import { loadConfig, migrationEnvSchema } from '@merchant-platform/common/config';
import { emailConfigSchema } from '@merchant-platform/email/config';
import { consoleConfigSchema } from '@merchant-platform/console/config';
import { merchantsConfigSchema } from '@merchant-platform/merchants/config';
import type { ServiceName } from './render.js';

const CONFIG_SCHEMAS: Record<ServiceName | 'migration', z.ZodType> = {
  auth: authConfigSchema,
  merchants: merchantsConfigSchema,
  email: emailConfigSchema,
  console: consoleConfigSchema,
  migration: migrationEnvSchema,
};

/** The variables a config schema reads: its object's keys, under any refinements and transforms. */
function variablesOf(schema: z.ZodType): string[] {
  const inner = schema as unknown as { shape?: Record<string, unknown>; in?: z.ZodType };
  if (inner.shape) return Object.keys(inner.shape);
  if (inner.in) return variablesOf(inner.in);
  throw new Error('a config schema must be a zod object, possibly refined or transformed');
}

/**
 * A deployment (chart or compose) and the code agree: the service's (or a migration's) zod config
 * loads from exactly the environment it is given, and no variable is given that the config does
 * not read (a misspelt or stale name would otherwise be silently ignored). `helperVariables` are
 * set only to build others (e.g. `$(DATABASE_PASSWORD)` in the chart).
 */
export function assertConfigLoadsFrom(
  service: ServiceName | 'migration',
  env: Record<string, string>,
  where: string,
  helperVariables: string[] = [],
): void {
  const schema = CONFIG_SCHEMAS[service];
  assert.doesNotThrow(() => loadConfig(schema, env), where);
  const read = variablesOf(schema);
  const unknown = Object.keys(env).filter((name) => !read.includes(name) && !helperVariables.includes(name));
  assert.deepEqual(unknown, [], `${where} is given variables its config does not read`);
}
