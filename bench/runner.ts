import { runLoad, type LoadResult, type LoadSpec } from './load.js';
import { ProcessSampler, type RunningProcess } from './processes.js';

/** The limits a scenario is compared with; each is measured in the same run. */
export type BaselineKey = 'http' | 'read:/users/me' | 'read:/auth/me' | 'hashing' | 'parts';

export interface ScenarioResult {
  id: string;
  title: string;
  /** The process under load. */
  server: string;
  connections: number;
  load: LoadResult;
  /** CPU milliseconds the server process spent per request (all threads): what sizes a pod. */
  cpuMsPerRequest: number;
  /** Resident memory of each process at its highest during the measured part, MiB. */
  peakRssMiB: Record<string, number>;
  /** Which baseline this scenario measures, or is compared with. */
  defines?: BaselineKey;
  comparedWith?: BaselineKey;
  baselineRequestsPerSecond?: number;
  ratio?: number;
  /**
   * The limit's CPU time per request over this scenario's: the same comparison, immune to other
   * work on the machine (each process's own CPU time is counted, not wall time).
   */
  cpuRatio?: number;
  /** A limit measured before and after what is compared with it: each run's requests/s. */
  limitRuns?: number[];
  note?: string;
}

export interface ScenarioPlan {
  id: string;
  title: string;
  server: RunningProcess;
  spec: LoadSpec;
  defines?: BaselineKey;
  comparedWith?: BaselineKey;
  note?: string;
}

/**
 * Runs one scenario: warm-up, then the measured load while sampling the memory and CPU time of
 * every process the harness started.
 */
export async function runScenario(
  plan: ScenarioPlan,
  watched: RunningProcess[],
  warmupSeconds: number,
  seconds: number,
): Promise<ScenarioResult> {
  const sampler = new ProcessSampler(watched.map((p) => p.pid));
  let samples: ReturnType<ProcessSampler['stop']> = new Map();
  const load = await runLoad(plan.spec, warmupSeconds, seconds, {
    onOpen: () => sampler.start(),
    onClose: () => (samples = sampler.stop()),
  });
  return {
    id: plan.id,
    title: plan.title,
    server: plan.server.name,
    connections: plan.spec.connections,
    load,
    cpuMsPerRequest: cpuMsPerRequest(samples, plan.server, load),
    peakRssMiB: peaks(watched, samples),
    defines: plan.defines,
    comparedWith: plan.comparedWith,
    note: plan.note,
  };
}

const cpuMsPerRequest = (samples: ReturnType<ProcessSampler['stop']>, server: RunningProcess, load: LoadResult) =>
  ((samples.get(server.pid)?.cpuSeconds ?? NaN) * 1000) / Math.max(load.requests, 1);

const peaks = (watched: RunningProcess[], samples: ReturnType<ProcessSampler['stop']>) =>
  Object.fromEntries(watched.map((p) => [p.name, samples.get(p.pid)?.peakRssMiB ?? NaN]));

/**
 * The sign-in storm: closed-loop sign-ins saturate the hashing threads while `/users/me` is
 * sent at a fixed rate (open loop, latency corrected for coordinated omission) to the same
 * process. Hashing must not hold up reads.
 */
export async function runStorm(
  server: RunningProcess,
  storm: LoadSpec,
  reads: LoadSpec,
  watched: RunningProcess[],
  warmupSeconds: number,
  seconds: number,
): Promise<{ reads: ScenarioResult; signIns: ScenarioResult }> {
  const readWarmup = 1;
  // The storm fills the thread pool first, then runs on a little past the reads.
  const stormRun = runLoad(storm, warmupSeconds, readWarmup + seconds + 1);
  await new Promise((resolve) => setTimeout(resolve, warmupSeconds * 1000));
  const sampler = new ProcessSampler(watched.map((p) => p.pid));
  let samples: ReturnType<ProcessSampler['stop']> = new Map();
  const readLoad = await runLoad(reads, readWarmup, seconds, { onOpen: () => sampler.start(), onClose: () => (samples = sampler.stop()) });
  const stormLoad = await stormRun;
  const cpuSeconds = samples.get(server.pid)?.cpuSeconds ?? NaN;
  return {
    reads: {
      id: 'storm.users-me',
      title: `GET /users/me at ${reads.overallRate}/s during a sign-in storm`,
      server: server.name,
      connections: reads.connections,
      load: readLoad,
      cpuMsPerRequest: NaN,
      peakRssMiB: peaks(watched, samples),
      note: `p99 target < 50 ms (open loop, corrected for coordinated omission); server CPU ${cpuSeconds.toFixed(1)} s in ${seconds} s`,
    },
    signIns: {
      id: 'storm.sign-ins',
      title: 'POST /auth/token storm beside those reads',
      server: server.name,
      connections: storm.connections,
      load: stormLoad,
      cpuMsPerRequest: NaN,
      peakRssMiB: peaks(watched, samples),
      comparedWith: 'hashing',
    },
  };
}

/**
 * A limit measured again after the scenarios compared with it: the two runs are pooled, so
 * drift on a shared machine (other work starting or stopping) weighs on both sides alike.
 */
export function poolLimitRuns(first: ScenarioResult, again: ScenarioResult): void {
  const runs = [...(first.limitRuns ?? [first.load.requestsPerSecond]), again.load.requestsPerSecond];
  const load = first.load;
  load.requests += again.load.requests;
  load.seconds += again.load.seconds;
  load.requestsPerSecond = load.requests / load.seconds;
  load.errors += again.load.errors;
  for (const [code, count] of Object.entries(again.load.statusCodes)) load.statusCodes[code] = (load.statusCodes[code] ?? 0) + count;
  first.cpuMsPerRequest = (first.cpuMsPerRequest + again.cpuMsPerRequest) / 2;
  for (const [name, rss] of Object.entries(again.peakRssMiB)) first.peakRssMiB[name] = Math.max(first.peakRssMiB[name] ?? 0, rss);
  first.limitRuns = runs;
}
