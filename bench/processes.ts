import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const ROOT = new URL('../', import.meta.url).pathname;

/** One server process the harness started: its pid, where it listens, and how long it took to be ready. */
export interface RunningProcess {
  name: string;
  pid: number;
  url: string;
  /** Milliseconds from spawn to the first 200 on the readiness path. */
  coldStartMs: number;
  /** The memory limit it runs under; none when it was not asked for or cgroups cannot be made here. */
  memoryLimitMiB?: number;
  logFile: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  /** Node arguments after the flags: a script path and its arguments. */
  args: string[];
  nodeFlags?: string[];
  env: Record<string, string>;
  port: number;
  readyPath?: string;
  logDir: string;
  readyTimeoutMs?: number;
  /** The pod's memory limit to run under (memory-limit.ts); none: the machine's memory. */
  memoryLimitMiB?: number | undefined;
}

export { freePort } from '@merchant-platform/common/testing/ports';
import { answers200, eventually } from '@merchant-platform/common/testing/eventually';
import { exitReason } from '@merchant-platform/common/testing/processes';
import { memoryCgroup } from './memory-limit.js';

const running = new Set<RunningProcess>();

/**
 * Spawns `node <flags> <args>` with only the given environment (plus PATH and HOME), logs to a
 * file (a pipe through the harness would cost the harness CPU), and waits for the first 200
 * on the readiness path, polling every 10 ms: that wait is the cold start.
 */
export async function startProcess(options: StartOptions): Promise<RunningProcess> {
  const logFile = join(options.logDir, `${options.name}.log`);
  const fd = openSync(logFile, 'a');
  const cgroup = options.memoryLimitMiB === undefined ? undefined : memoryCgroup(options.name, options.memoryLimitMiB);
  const node = { program: process.execPath, args: [...(options.nodeFlags ?? []), ...options.args] };
  const { program, args } = cgroup ? cgroup.command(node.program, node.args) : node;
  const startedAt = performance.now();
  const child = spawn(program, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const url = `http://127.0.0.1:${options.port}`;
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? (signal ? -1 : null);
      cgroup?.remove();
      resolve();
    }),
  );
  const proc: RunningProcess = {
    name: options.name,
    pid: child.pid ?? -1,
    url,
    coldStartMs: 0,
    ...(cgroup ? { memoryLimitMiB: cgroup.limitMiB } : {}),
    logFile,
    child,
    stop: async () => {
      running.delete(proc);
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(killer);
    },
  };
  running.add(proc);
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  try {
    // Polled every 10 ms: this wait is the cold start.
    await eventually(() => answers200(url + (options.readyPath ?? '/readyz')), `${options.name} to be ready`, {
      timeoutMs: readyTimeoutMs,
      intervalMs: 10,
      giveUpIf: () => exitReason(child),
    });
  } catch (error) {
    await proc.stop();
    throw new Error(`${(error as Error).message}:\n${tail(logFile)}`);
  }
  proc.coldStartMs = performance.now() - startedAt;
  return proc;
}

/** Stops every process still running (on failure or an interrupt). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/** Runs `node <args>` to completion (a one-off such as the migration command) and returns its stdout. */
export async function runToCompletion(
  name: string,
  args: string[],
  env: Record<string, string>,
  nodeFlags: string[] = [],
): Promise<string> {
  const child = spawn(process.execPath, [...nodeFlags, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${name} exited with ${code}:\n${(err || out).slice(-4000)}`);
  return out;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tail(file: string, lines = 30): string {
  if (!existsSync(file)) return '(no output)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

// ---- /proc: memory and CPU time of a process (Linux) ----

/** Resident memory now and at its peak (VmRSS, VmHWM), in MiB. */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

const CLOCK_TICKS = (() => {
  const result = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(result.stdout?.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
})();

/** User + system CPU seconds the process (all its threads) has used so far. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces; fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/**
 * Samples the memory of some processes every 250 ms while load runs, and their CPU time at
 * start and stop: CPU per request is what sizes a pod, whatever else shares the machine.
 */
export class ProcessSampler {
  private readonly peakRss = new Map<number, number>();
  private readonly cpuAtStart = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: number[]) {}

  start(): void {
    for (const pid of this.pids) this.cpuAtStart.set(pid, cpuSecondsOf(pid));
    const sample = () => {
      for (const pid of this.pids) {
        const rss = memoryOf(pid)?.rssMiB;
        if (rss !== undefined && rss > (this.peakRss.get(pid) ?? 0)) this.peakRss.set(pid, rss);
      }
    };
    sample();
    this.timer = setInterval(sample, 250);
  }

  stop(): Map<number, { cpuSeconds: number; peakRssMiB: number }> {
    clearInterval(this.timer);
    const result = new Map<number, { cpuSeconds: number; peakRssMiB: number }>();
    for (const pid of this.pids) {
      const rss = memoryOf(pid)?.rssMiB ?? 0;
      result.set(pid, {
        cpuSeconds: cpuSecondsOf(pid) - (this.cpuAtStart.get(pid) ?? NaN),
        peakRssMiB: Math.max(rss, this.peakRss.get(pid) ?? 0),
      });
    }
    return result;
  }
}
