/**
 * The hashing limit: raw `bcrypt.compare` throughput at BCRYPT_COST, with the libuv thread
 * pool sized as the services get it (UV_THREADPOOL_SIZE, default 4). Enough comparisons are
 * kept in flight to fill the pool, so every core hashes. Prints one JSON line and exits.
 * Started by the harness as its own process so the thread-pool size applies as it does to
 * a service.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import bcrypt from 'bcrypt';

const cost = Number(process.env.BCRYPT_COST ?? 12);
const warmupMs = Number(process.env.WARMUP_MS ?? 1000);
const durationMs = Number(process.env.DURATION_MS ?? 10_000);
const threadPool = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
// What the services compare: SHA-256 of the password, base64 (see PasswordHasher).
const password = 'U3F3qZ8m0n9Jm8b2b2pQ4m6s9o7m1X0aZk1b2c3d4e4=';
const hash = await bcrypt.hash(password, cost);

let measuring = false;
let done = 0;
let stopped = false;
const start = performance.now();
let measuredFrom = 0;

async function lane(): Promise<void> {
  while (!stopped) {
    const ok = await bcrypt.compare(password, hash);
    if (!ok) throw new Error('bcrypt.compare failed on its own hash');
    if (measuring) done += 1;
  }
}

const lanes = Array.from({ length: threadPool }, lane);
await new Promise((resolve) => setTimeout(resolve, warmupMs));
measuring = true;
measuredFrom = performance.now();
const cpuFrom = process.cpuUsage();
await new Promise((resolve) => setTimeout(resolve, durationMs));
measuring = false;
const cpu = process.cpuUsage(cpuFrom);
const seconds = (performance.now() - measuredFrom) / 1000;
stopped = true;
await Promise.all(lanes);

process.stdout.write(
  `${JSON.stringify({ comparesPerSecond: done / seconds, cpuMsPerCompare: (cpu.user + cpu.system) / 1000 / done, compares: done, seconds, cost, threadPool, cores: cpus().length, totalSeconds: (performance.now() - start) / 1000 })}\n`,
);
