/**
 * Runs a service under its pod's memory limit, as Kubernetes does: in a memory cgroup of its
 * own, limited to the chart's `resources.limits.memory`.
 *
 * Why it matters to what the bench reports: Node sizes V8's heap from the memory it may use
 * (libuv's constrained memory, the cgroup limit). A 4 GiB heap on a 24 GiB machine lets the old
 * generation grow by up to 4× between full collections and has 16 MiB semi-spaces; a 260 MiB
 * heap in a 320Mi pod grows by about 1.3× and gets 1 MiB semi-spaces, which doubled the CPU of a
 * read until the images set their own (the Dockerfile's NODE_OPTIONS). Unconstrained, the bench
 * would report the machine's memory and CPU, not the pod's.
 *
 * Linux only, and only where the harness may make cgroups (root, or a delegated cgroup v2
 * subtree); elsewhere the services run unconstrained and the report says so.
 */
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mebibytes, readServiceValues } from '../tools/platformctl/src/chart-values.js';

const chartServices = readServiceValues();

/**
 * The memory limit of a service's pod in the chart (`resources.limits.memory`), in MiB. The
 * all-in-one process runs under auth's: the bench measures auth's routes on it.
 */
export function podMemoryLimitMiB(service: 'auth' | 'merchants' | 'email', options: { unconstrained: boolean }): number | undefined {
  if (options.unconstrained) return undefined;
  const limit = chartServices[service]?.resources.limits.memory;
  if (!limit) throw new Error(`the chart sets no memory limit for ${service}`);
  return mebibytes(limit);
}

/** A memory cgroup made for one process; `command` starts a program inside it. */
export interface MemoryCgroup {
  directory: string;
  limitMiB: number;
  /** `sh` moves itself into the cgroup, then execs the program: the pid stays the program's. */
  command(program: string, args: string[]): { program: string; args: string[] };
  remove(): void;
}

/** The cgroup the harness is in, for the memory controller: where the services' cgroups go. */
function ownMemoryCgroup(): { dir: string; limitFile: string } | undefined {
  let mountinfo: string;
  let membership: string;
  try {
    mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
    membership = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return undefined;
  }
  const mounts = mountinfo.split('\n').map((line) => {
    const [before = '', after = ''] = line.split(' - ');
    const [fsType = '', , superOptions = ''] = after.split(' ');
    return { mountPoint: before.split(' ')[4] ?? '', fsType, superOptions: superOptions.split(',') };
  });
  // cgroup v1: a hierarchy of its own for the memory controller.
  const v1Path = /^\d+:memory:(.*)$/m.exec(membership)?.[1];
  const v1Mount = mounts.find((m) => m.fsType === 'cgroup' && m.superOptions.includes('memory'));
  if (v1Path !== undefined && v1Mount) return { dir: join(v1Mount.mountPoint, v1Path), limitFile: 'memory.limit_in_bytes' };
  // cgroup v2: one hierarchy; the memory controller must be enabled for children.
  const v2Path = /^0::(.*)$/m.exec(membership)?.[1];
  const v2Mount = mounts.find((m) => m.fsType === 'cgroup2');
  if (v2Path === undefined || !v2Mount) return undefined;
  const dir = join(v2Mount.mountPoint, v2Path);
  try {
    if (!readFileSync(join(dir, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('memory')) return undefined;
  } catch {
    return undefined;
  }
  return { dir, limitFile: 'memory.max' };
}

/** A memory cgroup limited to `limitMiB` for the process `name`, or none where cgroups cannot be made. */
export function memoryCgroup(name: string, limitMiB: number): MemoryCgroup | undefined {
  const parent = ownMemoryCgroup();
  if (!parent) return undefined;
  const dir = join(parent.dir, `mp-bench-${process.pid}-${name}`);
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, parent.limitFile), String(limitMiB * 1024 * 1024));
  } catch {
    remove(dir);
    return undefined;
  }
  return {
    directory: dir,
    limitMiB,
    command: (program, args) => ({
      program: '/bin/sh',
      args: ['-c', 'echo $$ > "$0" && exec "$@"', join(dir, 'cgroup.procs'), program, ...args],
    }),
    remove: () => remove(dir),
  };
}

/** A cgroup can be removed once no process is in it; a failure leaves an empty directory, nothing more. */
function remove(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Still populated (a process that would not die) or never made.
  }
}
