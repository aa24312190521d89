import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { EXIT_CODES } from './exit-codes.js';

/**
 * Environment parsing shared by every service. Each service declares one zod object over the
 * variables it reads; `loadConfig` reports every problem at once so an operator fixes them in
 * one go rather than one restart per mistake.
 */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    // One line, so it reads whole in `kubectl logs`, journald and CI output alike.
    super(`Invalid configuration: ${problems.join('; ')}. Fix these environment variables and start again.`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export type Env = Record<string, string | undefined>;

/**
 * Zod's default wording is for programmers ("expected number, received NaN"); this is for the
 * person setting the variable. Values are never echoed: they may be secrets.
 */
function describeEnvIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return issue.expected === 'int' ? 'must be a whole number' : `must be a ${issue.expected}`;
    case 'too_small':
      return `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}${issue.origin === 'string' ? ' characters long' : ''}`;
    case 'too_big':
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}${issue.origin === 'string' ? ' characters long' : ''}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'url' ? 'must be an absolute URL' : `must be a valid ${issue.format}`;
    default:
      return undefined;
  }
}

const problemsIn = (issues: z.core.$ZodIssue[]) => issues.map((issue) => [issue.path.join('.') || '(environment)', issue.message] as const);

export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  // Empty strings mean "unset": that is how Helm and shells usually express absence.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parse = (input: Env) => schema.safeParse(input, { error: describeEnvIssue });
  const result = parse(cleaned);
  if (result.success) return result.data;
  // One entry per variable: two rules naming the same one would say the same thing twice.
  const problems = new Map<string, string>();
  const add = (found: (readonly [string, string])[], skip: (path: string) => boolean) => {
    for (const [path, message] of found) if (!skip(path) && !problems.has(path)) problems.set(path, message);
  };
  add(problemsIn(result.error.issues), () => false);
  // zod runs the rules across variables (superRefine) only once every variable parsed, so one
  // bad value would hide every rule's finding until the next start. Parse again without the
  // bad values (they fall back to their defaults) so the rules report in the same message.
  const broken = new Set(result.error.issues.map((issue) => String(issue.path[0])).filter((name) => name in cleaned));
  if (broken.size > 0) {
    const rest = parse(Object.fromEntries(Object.entries(cleaned).filter(([name]) => !broken.has(name))));
    if (!rest.success) add(problemsIn(rest.error.issues), (path) => broken.has(path.split('.')[0]!));
  }
  throw new ConfigError([...problems].map(([path, message]) => `${path}: ${message}`));
}

/** For main.ts: one clear line and the EX_CONFIG exit code instead of a stack trace. */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_CODES.config);
    }
    throw error;
  }
}

export const booleanFromEnv = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

export const listFromEnv = z.string().transform((v) =>
  v
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

export const portFromEnv = z.coerce.number().int().min(0).max(65535);

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const databaseUrl = z.string().refine((v) => /^(mysql|mariadb):\/\/.+/.test(v) || /^sqlite:.+/.test(v), {
  message: 'must be mysql://user:pass@host:3306/db or sqlite:<path>',
});

/**
 * OpenTelemetry's standard variables, read by its SDK itself (tracing/start.ts); declared here so
 * a wrong value stops the start with the other configuration problems. Tracing is on only when
 * the endpoint is set.
 */
export const tracingEnvShape = {
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  OTEL_TRACES_SAMPLER: z
    .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
    .optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  OTEL_RESOURCE_ATTRIBUTES: z.string().optional(),
};

/** Variables every HTTP service reads. */
export const httpEnvShape = {
  ...tracingEnvShape,
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

/** A variable, or alternatives any one of which will do: `['JWT_PRIVATE_KEY', 'JWT_PRIVATE_KEY_FILE']`. */
export type Requirement<T> = (keyof T & string) | readonly [keyof T & string, ...(keyof T & string)[]];

/** When a requirement applies, and the words its message says that in. */
export interface Condition<T> {
  holds: (config: T) => boolean;
  described: string;
}

/**
 * Reports every requirement none of whose alternatives is set while `when` holds, under its first
 * name: `JWT_PRIVATE_KEY: is required when NODE_ENV=production (or JWT_PRIVATE_KEY_FILE)`.
 * An empty list (`SESSION_KEYS=,`) counts as unset.
 */
export function requireWhen<T>(when: Condition<T>, required: Requirement<T>[]) {
  return (config: T, ctx: z.RefinementCtx) => {
    if (!when.holds(config)) return;
    for (const requirement of required) {
      const names: readonly (keyof T & string)[] = typeof requirement === 'string' ? [requirement] : requirement;
      const [first, ...others] = names;
      if (names.some((name) => isSet(config[name]))) continue;
      const alternatives = others.length > 0 ? ` (or ${others.join(' or ')})` : '';
      ctx.addIssue({ code: 'custom', path: [first!], message: `is required when ${when.described}${alternatives}` });
    }
  };
}

const isSet = (value: unknown) => value !== undefined && !(Array.isArray(value) && value.length === 0);

/**
 * The production rule every service's schema uses: with NODE_ENV=production (the chart sets it)
 * these must be supplied, so no service ever runs in production on a default or generated
 * secret. `also` narrows it (SERVICE_TOKEN matters only when SERVICE_AUTH=token).
 */
export function requireInProduction<T extends { NODE_ENV: string }>(required: Requirement<T>[], also?: Condition<T>) {
  return requireWhen<T>(
    {
      holds: (config) => config.NODE_ENV === 'production' && (also?.holds(config) ?? true),
      described: also ? `NODE_ENV=production and ${also.described}` : 'NODE_ENV=production',
    },
    required,
  );
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
