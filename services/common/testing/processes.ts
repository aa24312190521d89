import { spawn, type ChildProcess } from 'node:child_process';
import { answers200, eventually } from './eventually.js';

/** The repository's root, where `node services/...` paths resolve. */
export const REPOSITORY_ROOT = new URL('../../../', import.meta.url).pathname;

export interface SpawnedService {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * Starts `command <args>` from the repository root with only the given environment (plus PATH and
 * HOME), capturing its output.
 */
export function spawnCommand(command: string, args: string[], env: Record<string, string>): SpawnedService {
  let output = '';
  const child = spawn(command, args, {
    cwd: REPOSITORY_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * Starts `node <args>`. Sources run through tsx with the `source` export condition, as
 * `npm run dev` runs them.
 */
export function spawnNode(args: string[], env: Record<string, string>, options: { fromSource?: boolean } = {}): SpawnedService {
  const nodeFlags = options.fromSource === false ? [] : ['--conditions=source', '--import=tsx'];
  return spawnCommand(process.execPath, [...nodeFlags, ...args], env);
}

/**
 * Spawns a service and waits until `GET <readyPath>` answers 200 on `port`; on failure kills it
 * and throws with its output, so a test that cannot start says why.
 */
export async function spawnReadyService(
  args: string[],
  env: Record<string, string>,
  port: number,
  /** `command` runs something other than node (e.g. `npm` with args `['start']`). */
  options: { readyPath?: string; timeoutMs?: number; fromSource?: boolean; command?: string } = {},
): Promise<SpawnedService & { base: string }> {
  const serviceEnv = { HOST: '127.0.0.1', ...env, PORT: String(port) };
  const service = options.command ? spawnCommand(options.command, args, serviceEnv) : spawnNode(args, serviceEnv, options);
  const base = `http://127.0.0.1:${port}`;
  try {
    await eventually(() => answers200(base + (options.readyPath ?? '/readyz')), `${args.join(' ')} to be ready`, {
      timeoutMs: options.timeoutMs ?? 20_000,
      intervalMs: 100,
      giveUpIf: () => exitReason(service.child),
    });
  } catch (error) {
    service.child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${service.output()}`);
  }
  return { ...service, base };
}

/** Why a child process can no longer become ready, or undefined while it runs. */
export function exitReason(child: ChildProcess): string | undefined {
  if (child.exitCode !== null) return `it exited with ${child.exitCode}`;
  if (child.signalCode !== null) return `it was killed by ${child.signalCode}`;
  return undefined;
}
