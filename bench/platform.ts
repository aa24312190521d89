import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchDatabase } from './database.js';
import { IMAGE_RUNTIME_ENV } from './image-runtime.js';
import { podMemoryLimitMiB } from './memory-limit.js';
import type { BenchOptions } from './options.js';
import { freePort, runToCompletion, startProcess, type RunningProcess } from './processes.js';
import { serviceEntry } from './service-entry.js';

/** What the harness needs to know about the platform it started. */
export interface Platform {
  allInOne: RunningProcess;
  merchants: RunningProcess;
  /** The access-token signing key, so the read limit verifies with the very same key. */
  publicKeyPem: string;
  issuer: string;
  audience: string;
  /** The environment the services got (secrets left out): the report records it. */
  settings: Record<string, string>;
}

const ISSUER = 'merchant-platform';
const AUDIENCE = 'merchant-platform';

/**
 * Limits that would turn a load test into a 429 test: sign-ins only count failures and there
 * are none, but the bench sets every limit far out of reach so no scenario can trip one.
 */
const BENCH_RATE_LIMITS = {
  RATE_LIMIT_TOKEN_FAILURES_PER_ACCOUNT: '1000000',
  RATE_LIMIT_TOKEN_FAILURES_PER_IP: '1000000',
  RATE_LIMIT_TOKEN_FAILURES_PER_EMAIL: '1000000',
  RATE_LIMIT_EMAILS_PER_HOUR: '1000000',
  RATE_LIMIT_FORGOT_PER_IP_PER_HOUR: '1000000',
  RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR: '1000000',
  RATE_LIMIT_REGISTRATIONS_PER_MINUTE: '1000000',
};

/** The services' environment for one run: settings the report records, and secrets it never shows. */
export interface PlatformEnvironment {
  settings: Record<string, string>;
  secrets: Record<string, string>;
  publicKeyPem: string;
}

export function platformEnvironment(db: BenchDatabase, options: BenchOptions, runDir: string): PlatformEnvironment {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    settings: {
      ...IMAGE_RUNTIME_ENV,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      LOG_LEVEL: options.logLevel,
      BCRYPT_COST: String(options.bcryptCost),
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      // Long enough that no token the load uses expires mid-run.
      ACCESS_TOKEN_TTL_SECONDS: '7200',
      WEBAUTHN_RP_ID: 'localhost',
      WEBAUTHN_ORIGINS: 'http://localhost:8080',
      ...BENCH_RATE_LIMITS,
      ...threadPool(),
    },
    secrets: {
      DATABASE_URL: db.url,
      DATA_DIR: join(runDir, 'data'),
      JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      SESSION_KEYS: randomBytes(32).toString('base64url'),
      SERVICE_TOKEN: randomBytes(32).toString('base64url'),
      PASSWORD_PEPPER: randomBytes(32).toString('base64url'),
      WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64url'),
    },
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const threadPool = (): Record<string, string> =>
  process.env.UV_THREADPOOL_SIZE ? { UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE } : {};

/** Every service's migrations, as their own process before any service starts (as the chart's pre-install Job). */
export async function migrate(env: PlatformEnvironment, options: BenchOptions): Promise<void> {
  const { args, nodeFlags } = await serviceEntry('all-in-one', 'migrate', options);
  await runToCompletion('migrations', args, { ...env.settings, ...env.secrets }, nodeFlags);
}

/**
 * Production-like start (NODE_ENV=production, every secret supplied): the all-in-one process,
 * then the merchants service alone, verifying tokens against the all-in-one's JWKS.
 */
export async function startServices(
  env: PlatformEnvironment,
  options: BenchOptions,
  logDir: string,
  profileDir: string,
): Promise<Platform> {
  mkdirSync(logDir, { recursive: true });
  const profileFlags = (name: string) =>
    options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : [];

  const aio = await serviceEntry('all-in-one', 'main', options);
  const aioPort = await freePort();
  const allInOne = await startProcess({
    name: 'all-in-one',
    // It stands in for auth (the bench measures auth's routes on it), so it gets auth's pod.
    memoryLimitMiB: podMemoryLimitMiB('auth', options),
    args: aio.args,
    nodeFlags: [...aio.nodeFlags, ...profileFlags('all-in-one')],
    env: { ...env.settings, ...env.secrets, PORT: String(aioPort) },
    port: aioPort,
    logDir,
  });

  const merchantsEntry = await serviceEntry('merchants', 'main', options);
  const merchantsPort = await freePort();
  const merchants = await startProcess({
    name: 'merchants',
    memoryLimitMiB: podMemoryLimitMiB('merchants', options),
    args: merchantsEntry.args,
    nodeFlags: [...merchantsEntry.nodeFlags, ...profileFlags('merchants')],
    env: {
      ...IMAGE_RUNTIME_ENV,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(merchantsPort),
      LOG_LEVEL: options.logLevel,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      DATABASE_URL: env.secrets.DATABASE_URL!,
      JWKS_URL: `${allInOne.url}/auth/.well-known/jwks.json`,
      // Revocations are read from the all-in-one process, as merchants reads them from auth in a cluster.
      AUTH_INTERNAL_URL: allInOne.url,
      SERVICE_TOKEN: env.secrets.SERVICE_TOKEN!,
      WEBHOOK_SECRET_KEY: env.secrets.WEBHOOK_SECRET_KEY!,
      // Invitation mail would go to the email routes the all-in-one process serves; no row here sends any.
      EMAIL_SERVICE_URL: allInOne.url,
      CONSOLE_URL: allInOne.url,
      // Each connection reads with its own API key as fast as it can: the per-key limit is not what is measured.
      RATE_LIMIT_API_KEY_PER_MINUTE: '1000000',
      ...threadPool(),
    },
    port: merchantsPort,
    logDir,
  });

  return { allInOne, merchants, publicKeyPem: env.publicKeyPem, issuer: ISSUER, audience: AUDIENCE, settings: env.settings };
}
