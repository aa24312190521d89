import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { QueryTypes } from 'sequelize';
import { openDatabase } from '@merchant-platform/common/db/database';
import type autocannon from 'autocannon';
import { createBenchDatabase } from '../database.js';
import { IMAGE_RUNTIME_ENV } from '../image-runtime.js';
import { podMemoryLimitMiB } from '../memory-limit.js';
import type { BenchOptions } from '../options.js';
import { freePort, memoryOf, ROOT, runToCompletion, sleep, startProcess, type RunningProcess } from '../processes.js';
import { runScenario, type ScenarioResult } from '../runner.js';
import { serviceEntry } from '../service-entry.js';

export interface OutboxBench {
  ran: boolean;
  reason: string;
  results: ScenarioResult[];
  processes: RunningProcess[];
  /** RSS of the email service and the emulator once started, before any load (MiB). */
  restRssMiB: Record<string, number>;
}

/**
 * The bench lifts the per-replica send rate (default 10/s, meant to respect the SES account's
 * quota) so the outbox's own capacity is what gets measured.
 */
const EMAIL_SETTINGS = {
  EMAIL_TRANSPORT: 'ses',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench-access-key',
  AWS_SECRET_ACCESS_KEY: 'bench-secret-key',
  EMAIL_FROM: 'no-reply@merchant-platform.test',
  EMAIL_SEND_RATE_PER_SECOND: '5000',
};

/**
 * Outbox throughput: the email service alone (as in Kubernetes) on the bench database, sending
 * through the SES emulator. "committed": closed-loop `POST /emails`, each answered 202 only
 * once its row is committed. "delivered": every committed mail accepted by SES (row `sent`),
 * counted from the first request to the last delivery.
 */
export async function runOutboxScenarios(
  options: BenchOptions,
  runDir: string,
  logDir: string,
  watched: RunningProcess[],
): Promise<OutboxBench> {
  const built = existsSync(join(ROOT, 'services/email/dist/main.js')) || options.fromSource;
  if (!existsSync(join(ROOT, 'services/email/src/app.ts')) || !built) {
    return {
      ran: false,
      reason: 'the email service is not in this tree (or not built): outbox scenarios skipped',
      results: [],
      processes: [],
      restRssMiB: {},
    };
  }
  // A database of its own: the all-in-one process runs a dispatcher too, and would take rows.
  const dir = join(runDir, 'email');
  mkdirSync(dir, { recursive: true });
  const db = await createBenchDatabase(process.env.DATABASE_URL, dir);
  try {
    const migrate = await serviceEntry('email', 'migrate', options);
    await runToCompletion(
      'email migrations',
      migrate.args,
      { NODE_ENV: 'production', DATABASE_URL: db.url, LOG_LEVEL: 'warn' },
      migrate.nodeFlags,
    );
    return await measureOutbox(db.url, options, logDir, watched);
  } finally {
    await db.drop();
  }
}

async function measureOutbox(databaseUrl: string, options: BenchOptions, logDir: string, watched: RunningProcess[]): Promise<OutboxBench> {
  const sesPort = await freePort();
  const ses = await startProcess({
    name: 'ses-emulator',
    args: ['bench/email/ses-emulator-process.ts'],
    nodeFlags: ['--import=tsx'],
    env: { PORT: String(sesPort) },
    port: sesPort,
    readyPath: '/store',
    logDir,
  });
  const serviceToken = randomBytes(24).toString('base64url');
  const port = await freePort();
  const main = await serviceEntry('email', 'main', options);
  const email = await startProcess({
    name: 'email',
    memoryLimitMiB: podMemoryLimitMiB('email', options),
    args: main.args,
    nodeFlags: main.nodeFlags,
    env: {
      ...IMAGE_RUNTIME_ENV,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: options.logLevel,
      DATABASE_URL: databaseUrl,
      SERVICE_TOKEN: serviceToken,
      SES_ENDPOINT: ses.url,
      ...EMAIL_SETTINGS,
      ...(process.env.UV_THREADPOOL_SIZE ? { UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE } : {}),
    },
    port,
    logDir,
  });

  await sleep(1000);
  const restRssMiB = Object.fromEntries([email, ses].map((p) => [p.name, memoryOf(p.pid)?.rssMiB ?? NaN]));
  const runId = Date.now().toString(36);
  let sentSoFar = 0;
  const mail = (): autocannon.Request => {
    const n = sentSoFar++;
    return {
      method: 'POST',
      path: '/emails',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${serviceToken}` },
      body: JSON.stringify({
        to: `bench-${runId}-${n}@example.com`,
        template: 'verify_email',
        data: { name: 'Bench', code: '123456' },
        idempotency_key: `bench-${runId}-${n}`,
      }),
    };
  };
  const startedAt = performance.now();
  const committed = await runScenario(
    {
      id: 'email.committed',
      title: 'POST /emails (202 once the row is committed)',
      server: email,
      spec: {
        url: email.url,
        connections: options.connections,
        requests: [{ method: 'POST', path: '/emails', setupRequest: (r) => ({ ...r, ...mail() }) }],
      },
    },
    [...watched, email, ses],
    options.warmupSeconds,
    options.durationSeconds,
  );
  const accepted = Object.entries(committed.load.statusCodes).reduce((sum, [code, n]) => (code === '202' ? sum + n : sum), 0);
  const delivered = await waitForDelivery(databaseUrl, Math.max(60, 4 * (options.warmupSeconds + options.durationSeconds)));
  const seconds = (delivered.lastAt - startedAt) / 1000;
  const stored = await fetch(`${ses.url}/store`).then(async (r) => ((await r.json()) as { emails: unknown[] }).emails.length);
  // Requests still in flight when the load stopped were committed but never counted as 202s.
  const undelivered = delivered.queued;
  return {
    ran: true,
    reason: `${accepted} mails committed, ${delivered.sent} sent (${stored} in the SES emulator's store), ${delivered.failed} failed`,
    processes: [email, ses],
    restRssMiB,
    results: [
      committed,
      {
        id: 'email.delivered',
        title: 'mails accepted by SES (from the first POST to the last delivery)',
        server: email.name,
        connections: 0,
        load: {
          requests: delivered.sent,
          seconds,
          requestsPerSecond: delivered.sent / seconds,
          latencyMs: { mean: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN },
          errors: undelivered + delivered.failed,
          statusCodes: { sent: delivered.sent, failed: delivered.failed, undelivered },
        },
        cpuMsPerRequest: NaN,
        peakRssMiB: committed.peakRssMiB,
        note: `${undelivered} still queued at the deadline; dispatcher with EMAIL_SEND_RATE_PER_SECOND=${EMAIL_SETTINGS.EMAIL_SEND_RATE_PER_SECOND}, default batch size and poll interval`,
      },
    ],
  };
}

/** Polls the outbox until no mail is queued any more (or the deadline passes). */
async function waitForDelivery(
  databaseUrl: string,
  timeoutSeconds: number,
): Promise<{ sent: number; failed: number; queued: number; lastAt: number }> {
  const db = await openDatabase(databaseUrl);
  const deadline = performance.now() + timeoutSeconds * 1000;
  let counts = { sent: 0, failed: 0, queued: 0 };
  let lastAt = performance.now();
  try {
    for (;;) {
      const rows = await db.sequelize.query<{ status: string; n: number }>(
        'SELECT status, COUNT(*) AS n FROM email_outbox GROUP BY status',
        { type: QueryTypes.SELECT },
      );
      const next = { sent: 0, failed: 0, queued: 0 };
      for (const row of rows) if (row.status in next) next[row.status as keyof typeof next] = Number(row.n);
      if (next.sent !== counts.sent || next.failed !== counts.failed) lastAt = performance.now();
      counts = next;
      if (counts.queued === 0 || performance.now() > deadline) return { ...counts, lastAt };
      await sleep(100);
    }
  } finally {
    await db.close();
  }
}
