/**
 * `npm run bench [-- --quick]`: starts the platform as real processes on a fresh database,
 * seeds it, drives load over loopback with autocannon, measures the limits the same hardware
 * allows in the same run, prints one table and writes JSON to bench/results/. Exits non-zero
 * only when the harness fails or any request errored. See bench/README.md.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureHashingLimit, pooledHashingLimit, startBareKoaServer, startReadLimitServer, type HashingLimit } from './baselines.js';
import { applyBaselines, baselineRates } from './compare.js';
import { createBenchDatabase, type BenchDatabase } from './database.js';
import { runOutboxScenarios } from './email/outbox.js';
import { helpText, parseOptions, type BenchOptions } from './options.js';
import { migrate, platformEnvironment, startServices } from './platform.js';
import { memoryOf, ROOT, sleep, stopAll, type RunningProcess } from './processes.js';
import {
  describeMachine,
  evaluateTargets,
  loadAverageNow,
  renderProcessTable,
  renderScenarioTable,
  renderTargets,
  writeReport,
  type BenchReport,
} from './report.js';
import { poolLimitRuns, runScenario, runStorm, type ScenarioPlan, type ScenarioResult } from './runner.js';
import { hashingScenarios, mixedScenario, readWriteScenarios, stormLoads, type ScenarioContext } from './scenarios.js';
import { issueApiKeys, seedUsers, signIn } from './seed.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const step = (line: string) => say(`· ${line}`);

const parsed = parseOptions(process.argv.slice(2));
if (parsed === 'help') {
  process.stdout.write(helpText);
  process.exit(0);
}
const options: BenchOptions = parsed;

const startedAt = new Date();
const loadAtStart = loadAverageNow();
const runId = startedAt.getTime().toString(36);
const runDir = mkdtempSync(join(tmpdir(), 'mp-bench-'));
const resultsDir = join(ROOT, 'bench', 'results');
let db: BenchDatabase | undefined;
let cleanedUp = false;

async function cleanUp(keepLogs: boolean): Promise<void> {
  if (cleanedUp) return;
  cleanedUp = true;
  await stopAll();
  await db?.drop().catch((error: unknown) => say(`could not drop the bench database: ${String(error)}`));
  if (keepLogs) {
    const kept = join(resultsDir, `logs-${runId}`);
    if (existsSync(join(runDir, 'logs'))) {
      cpSync(join(runDir, 'logs'), kept, { recursive: true, force: true });
      say(`service logs kept in ${kept}`);
    }
  }
  rmSync(runDir, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`\n${signal}: stopping the services and dropping the bench database`);
    void cleanUp(false).finally(() => process.exit(130));
  });
}

const selected = (id: string) => options.only.length === 0 || options.only.some((part) => id.includes(part));

/** The selected plans, plus the limits they are compared with. */
function choose(plans: ScenarioPlan[]): ScenarioPlan[] {
  const wanted = plans.filter((p) => selected(p.id));
  const needed = new Set(wanted.map((p) => p.comparedWith));
  return plans.filter((p) => wanted.includes(p) || (p.defines && needed.has(p.defines)));
}

const MIXED_SECONDS = 60;

/** The highest of the samples taken, NaN when no scenario sampled the process. */
const peakOf = (samples: (number | undefined)[]): number => {
  const taken = samples.filter((s): s is number => s !== undefined && Number.isFinite(s));
  return taken.length > 0 ? Math.max(...taken) : NaN;
};

async function main(): Promise<number> {
  say(`Merchant Platform bench${options.quick ? ' (quick)' : ''}: ${describeMachine()}`);
  db = await createBenchDatabase(process.env.DATABASE_URL, runDir);
  step(`database: ${db.description}`);
  const env = platformEnvironment(db, options, runDir);
  await migrate(env, options);
  step(`migrated; seeding ${options.seedUsers} verified users with merchant profiles`);
  await seedUsers(db.url, options.seedUsers, options.bcryptCost, env.secrets.PASSWORD_PEPPER!);

  const logDir = join(runDir, 'logs');
  const platform = await startServices(env, options, logDir, join(resultsDir, 'profiles'));
  step(`all-in-one ready in ${platform.allInOne.coldStartMs.toFixed(0)} ms, merchants in ${platform.merchants.coldStartMs.toFixed(0)} ms`);
  const users = await signIn(platform.allInOne.url, options.signedInUsers);
  step(`${users.length} users signed in through POST /auth/token`);
  const owners = await issueApiKeys(platform.merchants.url, users);
  step(`${owners.length} API keys issued through POST /merchants/{id}/api-keys`);
  const readLimit = await startReadLimitServer(db.url, platform, logDir);
  const bareKoa = await startBareKoaServer(db.url, platform, logDir);
  const watched: RunningProcess[] = [platform.allInOne, platform.merchants, readLimit, bareKoa];
  await sleep(1000);
  const restRss = new Map(watched.map((p) => [p.name, memoryOf(p.pid)?.rssMiB ?? NaN]));

  const ctx: ScenarioContext = { options, platform, readLimit, bareKoa, users, owners, runId };
  const results: ScenarioResult[] = [];
  const run = async (plan: ScenarioPlan, seconds = options.durationSeconds) => {
    step(`${plan.id}: ${plan.title}`);
    results.push(await runScenario(plan, watched, options.warmupSeconds, seconds));
  };

  const plans = choose(readWriteScenarios(ctx));
  for (const [i, plan] of plans.entries()) {
    await run(plan);
    // Full runs measure each limit again once the scenarios compared with it are done.
    const key = plan.comparedWith;
    const limit = plans.find((p) => key && p.defines === key);
    const first = results.find((r) => key && r.defines === key);
    if (!options.quick && limit && first && plans[i + 1]?.comparedWith !== key) {
      step(`${limit.id} again`);
      poolLimitRuns(first, await runScenario(limit, watched, options.warmupSeconds, options.durationSeconds));
    }
  }

  const hashing = choose(hashingScenarios(ctx));
  const measureHashing = hashing.length > 0 || selected('storm');
  const hashingRuns: HashingLimit[] = [];
  if (measureHashing) {
    step(`hashing limit: raw bcrypt.compare at cost ${options.bcryptCost}`);
    hashingRuns.push(await measureHashingLimit(options));
  }
  for (const plan of hashing) await run(plan);

  if (selected('storm')) {
    const { storm, reads } = stormLoads(ctx);
    step(`storm: /users/me at ${reads.overallRate}/s while sign-ins saturate the hashing threads`);
    const outcome = await runStorm(platform.allInOne, storm, reads, watched, options.warmupSeconds, options.durationSeconds);
    results.push(outcome.reads, outcome.signIns);
  }
  if (measureHashing && !options.quick) {
    step('hashing limit again');
    hashingRuns.push(await measureHashingLimit(options));
  }
  const hashingLimit = pooledHashingLimit(hashingRuns);
  // A full run holds the mix for a minute, long enough for caches and heaps to settle, and then
  // reads every process's memory: the figure the 150 MiB target is about.
  const mixedRss = new Map<string, number>();
  if (selected('mixed')) {
    await run(mixedScenario(ctx), options.quick ? options.durationSeconds : Math.max(options.durationSeconds, MIXED_SECONDS));
    for (const p of watched) mixedRss.set(p.name, memoryOf(p.pid)?.rssMiB ?? NaN);
  }

  let email = { ran: false, reason: 'not selected' };
  if (selected('email')) {
    step('email: POST /emails, then delivery through the SES emulator');
    const outbox = await runOutboxScenarios(options, runDir, logDir, watched);
    results.push(...outbox.results);
    watched.push(...outbox.processes);
    for (const [name, rss] of Object.entries(outbox.restRssMiB)) restRss.set(name, rss);
    email = { ran: outbox.ran, reason: outbox.reason };
    step(`email: ${email.reason}`);
  }

  applyBaselines(results, baselineRates(results, hashingLimit));
  const processes = watched.map((p) => ({
    name: p.name,
    coldStartMs: p.coldStartMs,
    memoryLimitMiB: p.memoryLimitMiB,
    restRssMiB: restRss.get(p.name) ?? NaN,
    loadRssMiB: peakOf(results.map((r) => r.peakRssMiB[p.name])),
    mixedRssMiB: mixedRss.get(p.name) ?? NaN,
  }));
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    quick: options.quick,
    machine: describeMachine(),
    loadAverage: { start: loadAtStart, end: loadAverageNow() },
    database: db.description,
    options: { ...options },
    settings: platform.settings,
    hashingLimit,
    processes,
    scenarios: results,
    targets: evaluateTargets(results, processes, db.dialect),
    email,
    errors: results.reduce((sum, r) => sum + r.load.errors, 0),
  };

  say('');
  say(renderScenarioTable(report));
  say('');
  say(renderProcessTable(report));
  say('\nTargets (reported, not asserted):');
  say(renderTargets(report));
  say(
    `\n${report.machine}; ${report.database}; warm-up ${options.warmupSeconds} s, ${options.durationSeconds} s measured per scenario; load average ${report.loadAverage.start} at start, ${report.loadAverage.end} at end`,
  );
  say(`results: ${writeReport(report, resultsDir)}`);

  if (report.errors > 0) {
    for (const r of results.filter((r) => r.load.errors > 0)) say(`errors in ${r.id}: ${JSON.stringify(r.load.statusCodes)}`);
    return 1;
  }
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  say(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  code = 2;
} finally {
  await cleanUp(code !== 0);
}
process.exit(code);
