import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';

/** One load: who is hit, how hard, with what. */
export interface LoadSpec {
  url: string;
  connections: number;
  /** Open loop at this many requests/s over all connections; closed loop (as fast as answers come) when absent. */
  overallRate?: number;
  requests: autocannon.Request[];
  /** Per-connection setup, e.g. each connection signs as a different user. */
  setupClient?: (client: autocannon.Client) => void;
}

/** What one measured load gives: throughput, latency (ms) and everything that was not a 2xx. */
export interface LoadResult {
  /** Responses inside the measured window. */
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  /** Connection errors, timeouts and non-2xx answers over the whole run, warm-up included. */
  errors: number;
  /** Every answer over the whole run, by status (plus connection errors and timeouts). */
  statusCodes: Record<string, number>;
}

/** Called when the measured window opens and closes (the harness samples CPU and memory in between). */
export interface Window {
  onOpen?: () => void;
  onClose?: () => void;
}

/**
 * One continuous autocannon run of warm-up + measured seconds. Only responses that arrive
 * after the warm-up count, so the measured window starts with every connection busy (a
 * bcrypt-bound request takes seconds: a fresh run would measure its own ramp-up). Latencies
 * are kept whole (no histogram rounding); with a fixed rate they are corrected for
 * coordinated omission as HdrHistogram's recordCorrectedValue does.
 */
export function runLoad(spec: LoadSpec, warmupSeconds: number, seconds: number, window: Window = {}): Promise<LoadResult> {
  const latencies: number[] = [];
  const interval = spec.overallRate ? (1000 * spec.connections) / spec.overallRate : 0;
  let measuring = false;
  let openedAt = 0;
  let closedAt = 0;
  const statusCodes: Record<string, number> = {};
  let errors = 0;

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: warmupSeconds + seconds,
        overallRate: spec.overallRate,
        requests: spec.requests,
        setupClient: spec.setupClient,
        timeout: 10,
      },
      (error: unknown) => {
        closedAt = performance.now();
        clearTimeout(opener);
        if (measuring) window.onClose?.();
        if (error) return reject(error);
        const elapsed = (closedAt - openedAt) / 1000;
        resolve({
          requests: latencies.length,
          seconds: elapsed,
          requestsPerSecond: latencies.length / elapsed,
          latencyMs: percentiles(latencies, interval),
          errors,
          statusCodes,
        });
      },
    );
    instance.on('response', (_client: autocannon.Client, status: number, _bytes: number, responseTime: number) => {
      statusCodes[status] = (statusCodes[status] ?? 0) + 1;
      if (status < 200 || status > 299) errors += 1;
      if (measuring) latencies.push(responseTime);
    });
    instance.on('reqError', (error: { code?: string; message?: string }) => {
      // autocannon's own timeout is an Error('request timed out').
      const key = error?.code === 'ETIMEDOUT' || /time(d )?out/i.test(error?.message ?? '') ? 'timeouts' : 'connection_errors';
      statusCodes[key] = (statusCodes[key] ?? 0) + 1;
      errors += 1;
    });
    const opener = setTimeout(() => {
      measuring = true;
      openedAt = performance.now();
      window.onOpen?.();
    }, warmupSeconds * 1000);
  });
}

/** Percentiles of the raw latencies; with an expected interval, missing samples are filled in as a fixed-rate client would have seen them. */
function percentiles(values: number[], expectedIntervalMs: number): LoadResult['latencyMs'] {
  const all = [...values];
  if (expectedIntervalMs > 0) {
    for (const value of values) {
      for (let missing = value - expectedIntervalMs; missing >= expectedIntervalMs; missing -= expectedIntervalMs) all.push(missing);
    }
  }
  if (all.length === 0) return { mean: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN };
  all.sort((a, b) => a - b);
  const at = (q: number) => all[Math.min(all.length - 1, Math.ceil(q * all.length) - 1)]!;
  return { mean: all.reduce((s, v) => s + v, 0) / all.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: all[all.length - 1]! };
}
