import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { HashingLimit } from './baselines.js';
import type { BaselineKey, ScenarioResult } from './runner.js';

export interface ProcessReport {
  name: string;
  coldStartMs: number;
  /** The pod memory limit it ran under (memory-limit.ts); none: the machine's memory. */
  memoryLimitMiB?: number | undefined;
  restRssMiB: number;
  /** Highest RSS seen while any scenario ran (NaN when none ran against it). */
  loadRssMiB: number;
  /** RSS when the mixed load ends (a full run holds it for 60 s); NaN when the mix did not run. */
  mixedRssMiB: number;
}

export interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean | undefined;
}

export interface BenchReport {
  startedAt: string;
  seconds: number;
  quick: boolean;
  machine: string;
  /** 1-minute load average at the start and the end: other work on the machine skews absolute numbers. */
  loadAverage: { start: number; end: number };
  database: string;
  options: Record<string, unknown>;
  settings: Record<string, string>;
  hashingLimit?: HashingLimit;
  processes: ProcessReport[];
  scenarios: ScenarioResult[];
  targets: Target[];
  email: { ran: boolean; reason: string };
  errors: number;
}

export function describeMachine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}, Node ${process.version}`;
}

const BASELINE_NAMES: Record<BaselineKey, string> = {
  http: 'HTTP limit',
  'read:/users/me': 'read limit',
  'read:/auth/me': 'read limit',
  hashing: 'hashing limit',
  parts: 'its parts',
};

const rate = (n: number) => (!Number.isFinite(n) ? '-' : n >= 100 ? n.toFixed(0) : n.toFixed(1));
const ms = (n: number) => (!Number.isFinite(n) ? '-' : n >= 100 ? n.toFixed(0) : n.toFixed(1));

function table(headers: string[], rows: string[][], rightAligned: Set<number>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (rightAligned.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** The one table: every scenario with its rate, its ratio to the limit it is compared with, latency and errors. */
export function renderScenarioTable(report: BenchReport): string {
  const rows = report.scenarios.map((s) => [
    s.id,
    s.server,
    String(s.connections),
    rate(s.load.requestsPerSecond),
    s.defines ? '(limit)' : s.ratio !== undefined ? `${s.ratio.toFixed(2)} of ${BASELINE_NAMES[s.comparedWith!]}` : '-',
    ms(s.load.latencyMs.p50),
    ms(s.load.latencyMs.p99),
    ms(s.load.latencyMs.max),
    Number.isFinite(s.cpuMsPerRequest) ? s.cpuMsPerRequest.toFixed(2) : '-',
    s.cpuRatio !== undefined ? s.cpuRatio.toFixed(2) : '-',
    String(s.load.errors),
  ]);
  const h = report.hashingLimit;
  if (h) {
    const beforeSignIns = rows.findIndex((r) => r[0]!.startsWith('token.'));
    rows.splice(beforeSignIns === -1 ? rows.length : beforeSignIns, 0, [
      `hashing-limit (bcrypt.compare, cost ${h.cost}, ${h.threadPool} threads)`,
      'bcrypt',
      String(h.threadPool),
      rate(h.comparesPerSecond),
      '(limit)',
      '-',
      '-',
      '-',
      h.cpuMsPerCompare.toFixed(0),
      '-',
      '0',
    ]);
  }
  return table(
    ['scenario', 'server', 'conns', 'req/s', 'ratio', 'p50 ms', 'p99 ms', 'max ms', 'CPU ms/req', 'CPU ratio', 'errors'],
    rows,
    new Set([2, 3, 5, 6, 7, 8, 9, 10]),
  );
}

export function renderProcessTable(report: BenchReport): string {
  const rows = report.processes.map((p) => [
    p.name,
    ms(p.coldStartMs),
    mib(p.memoryLimitMiB),
    mib(p.restRssMiB),
    mib(p.loadRssMiB),
    mib(p.mixedRssMiB),
  ]);
  return table(
    ['process', 'cold start ms', 'memory limit MiB', 'RSS at rest MiB', 'RSS under load MiB', 'RSS after mixed load MiB'],
    rows,
    new Set([1, 2, 3, 4, 5]),
  );
}

export function renderTargets(report: BenchReport): string {
  return report.targets
    .map((t) => `  ${t.met === undefined ? '?' : t.met ? 'met   ' : 'MISSED'}  ${t.what}: ${t.measured} (target ${t.target})`)
    .join('\n');
}

const mib = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(0));

/** The processes that only measure limits: no target applies to them. */
const BASELINES = new Set(['read-limit', 'bare-koa', 'ses-emulator']);

/** The issue's read targets: MariaDB's driver pool leaves room a single SQLite connection does not. */
const READ_TARGET = { mysql: 0.8, sqlite: 0.6 };

const withCpu = (ratio: number, cpuRatio: number | undefined) =>
  `${ratio.toFixed(2)}${cpuRatio === undefined ? '' : ` (by CPU time: ${cpuRatio.toFixed(2)})`}`;

/** The performance targets, evaluated (reported, never asserted). */
export function evaluateTargets(scenarios: ScenarioResult[], processes: ProcessReport[], dialect: 'mysql' | 'sqlite'): Target[] {
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  const targets: Target[] = [];
  const readTarget = READ_TARGET[dialect];
  for (const id of ['users-me.merchants', 'users-me.all-in-one']) {
    const s = byId.get(id);
    if (s?.ratio !== undefined)
      targets.push({
        what: `${id} vs read limit`,
        target: `>= ${readTarget}`,
        measured: withCpu(s.ratio, s.cpuRatio),
        met: s.ratio >= readTarget,
      });
  }
  const signIns = byId.get('token.all-in-one');
  if (signIns?.ratio !== undefined) {
    targets.push({
      what: 'sign-ins vs hashing limit',
      target: '>= 0.9',
      measured: withCpu(signIns.ratio, signIns.cpuRatio),
      met: signIns.ratio >= 0.9,
    });
  }
  const storm = byId.get('storm.users-me');
  if (storm) {
    const p99 = storm.load.latencyMs.p99;
    targets.push({ what: '/users/me p99 during a sign-in storm', target: '< 50 ms', measured: `${ms(p99)} ms`, met: p99 < 50 });
  }
  for (const p of processes.filter((p) => !BASELINES.has(p.name))) {
    targets.push({
      what: `${p.name} cold start (spawn to first 200 on /readyz)`,
      target: '< 1000 ms',
      measured: `${ms(p.coldStartMs)} ms`,
      met: p.coldStartMs < 1000,
    });
    const underLoad = Math.max(p.loadRssMiB, Number.isFinite(p.mixedRssMiB) ? p.mixedRssMiB : 0);
    if (Number.isFinite(underLoad))
      targets.push({
        what: `${p.name} RSS under load (${p.memoryLimitMiB === undefined ? 'no memory limit' : `under a ${mib(p.memoryLimitMiB)} MiB limit`})`,
        target: '< 150 MiB',
        measured: `${underLoad.toFixed(0)} MiB`,
        met: underLoad < 150,
      });
  }
  return targets;
}

/** Writes the report to bench/results/ (git-ignored) and returns the file's path. */
export function writeReport(report: BenchReport, resultsDir: string): string {
  mkdirSync(resultsDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const dialect = report.database.startsWith('SQLite') ? 'sqlite' : 'mysql';
  const file = join(resultsDir, `${stamp}-${dialect}${report.quick ? '-quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

export const loadAverageNow = () => Math.round((loadavg()[0] ?? NaN) * 100) / 100;
