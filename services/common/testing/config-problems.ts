import type { z } from 'zod';
import { ConfigError, loadConfig } from '../src/config.js';

/** The problems `loadConfig` reports for `env` (none when it loads), as the operator reads them. */
export function configProblems(schema: z.ZodType, env: Record<string, string>): string[] {
  try {
    loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
