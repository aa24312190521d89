import type { BenchOptions } from './options.js';
import { freePort, runToCompletion, startProcess, type RunningProcess } from './processes.js';

export interface HashingLimit {
  comparesPerSecond: number;
  /** CPU time (all threads) per comparison: what one sign-in cannot do with less. */
  cpuMsPerCompare: number;
  compares: number;
  seconds: number;
  cost: number;
  threadPool: number;
  cores: number;
  /** Each run's compares/s when the limit was measured before and after the sign-in scenarios. */
  runs?: number[];
}

const TSX = ['--import=tsx'];

/** Starts the bare node:http server that does the `/users/me` and `/auth/me` work and nothing else. */
export const startReadLimitServer = (databaseUrl: string, token: BaselineToken, logDir: string) =>
  startBaseline('read-limit', 'bench/baselines/read-limit-server.ts', databaseUrl, token, logDir);

/** Starts the same work behind a Koa app with no middleware: the framework-overhead row. */
export const startBareKoaServer = (databaseUrl: string, token: BaselineToken, logDir: string) =>
  startBaseline('bare-koa', 'bench/baselines/bare-koa-server.ts', databaseUrl, token, logDir);

interface BaselineToken {
  publicKeyPem: string;
  issuer: string;
  audience: string;
}

async function startBaseline(
  name: string,
  script: string,
  databaseUrl: string,
  token: BaselineToken,
  logDir: string,
): Promise<RunningProcess> {
  const port = await freePort();
  return startProcess({
    name,
    args: [script],
    nodeFlags: TSX,
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      JWT_PUBLIC_KEY: token.publicKeyPem,
      JWT_ISSUER: token.issuer,
      JWT_AUDIENCE: token.audience,
      ...(process.env.UV_THREADPOOL_SIZE ? { UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE } : {}),
    },
    port,
    logDir,
  });
}

/** Measures raw bcrypt.compare throughput in a process of its own, nothing else running. */
export async function measureHashingLimit(options: BenchOptions): Promise<HashingLimit> {
  const out = await runToCompletion(
    'hashing limit',
    ['bench/baselines/hashing-limit.ts'],
    {
      BCRYPT_COST: String(options.bcryptCost),
      WARMUP_MS: String(options.warmupSeconds * 1000),
      DURATION_MS: String(options.durationSeconds * 1000),
      ...(process.env.UV_THREADPOOL_SIZE ? { UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE } : {}),
    },
    TSX,
  );
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as HashingLimit;
}

/** Pools the runs before and after the bcrypt-bound scenarios into one limit. */
export function pooledHashingLimit(runs: HashingLimit[]): HashingLimit | undefined {
  const [first] = runs;
  if (!first) return undefined;
  const compares = runs.reduce((sum, r) => sum + r.compares, 0);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const cpuMsPerCompare = runs.reduce((sum, r) => sum + r.cpuMsPerCompare * r.compares, 0) / compares;
  return {
    ...first,
    compares,
    seconds,
    comparesPerSecond: compares / seconds,
    cpuMsPerCompare,
    runs: runs.map((r) => r.comparesPerSecond),
  };
}
