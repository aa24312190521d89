import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Environment parsing shared by every service. Each service declares one zod object over the
 * variables it reads; `loadConfig` reports every problem at once so an operator fixes them in
 * one go rather than one restart per mistake.
 */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export type Env = Record<string, string | undefined>;

export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  // Empty strings mean "unset": that is how Helm and shells usually express absence.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
  );
}

/** For main.ts: one clear message and a non-zero exit instead of a stack trace. */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

export const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const listFromEnv = z.string().transform((v) =>
  v
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

export const portFromEnv = z.coerce.number().int().min(0).max(65535);

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const databaseUrl = z
  .string()
  .refine((v) => /^(mysql|mariadb):\/\/.+/.test(v) || /^sqlite:.+/.test(v), {
    message: 'must be mysql://user:pass@host:3306/db or sqlite:<path>',
  });

/** Variables every HTTP service reads. */
export const httpEnvShape = {
  NODE_ENV: z.string().default('development'),
  PORT: portFromEnv.default(8080),
  HOST: z.string().default('0.0.0.0'),
  TRUST_PROXY: booleanFromEnv.default(false),
  CORS_ORIGINS: listFromEnv.default([]),
  LOG_LEVEL: logLevel.default('info'),
  /** Seconds in-flight requests get to finish after SIGTERM. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(300).default(20),
  /** Deadline of one database statement; a frozen database answers 503 after it, not never. */
  DB_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** Deadline for getting a pooled connection, opening one (the handshake) included. */
  DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
};

export const jwtVerifyEnvShape = {
  JWT_ISSUER: z.string().default('merchant-platform'),
  JWT_AUDIENCE: z.string().default('merchant-platform'),
  JWKS_URL: z.url().optional(),
};

/**
 * Marks variables as required when NODE_ENV=production (the chart sets it), so no service ever
 * runs in production on a default or generated secret.
 */
export function requireInProduction<T extends { NODE_ENV: string }>(names: (keyof T & string)[]) {
  return (config: T, ctx: z.RefinementCtx) => {
    if (config.NODE_ENV !== 'production') return;
    for (const name of names) {
      if (config[name] === undefined) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'is required when NODE_ENV=production' });
      }
    }
  };
}

/** `X` or `X_FILE` (a mounted Secret): the file wins when both are set. */
export function readValueOrFile(value: string | undefined, file: string | undefined): string | undefined {
  if (file) return readFileSync(file, 'utf8');
  return value;
}

/** What a service's migrate command reads: just the database and log level. */
export const migrationEnvSchema = z
  .object({
    NODE_ENV: z.string().default('development'),
    LOG_LEVEL: logLevel.default('info'),
    DATABASE_URL: databaseUrl.optional(),
  })
  .superRefine(requireInProduction(['DATABASE_URL']));
