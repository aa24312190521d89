import type { HashingLimit } from './baselines.js';
import { MIXED_WORKLOAD, type MixedOperation } from './requests.js';
import type { BaselineKey, ScenarioResult } from './runner.js';

/** Where each operation of the mix was measured alone (on the all-in-one process, like the mix). */
const MIX_PARTS: Record<MixedOperation, string> = {
  'GET /users/me': 'users-me.all-in-one',
  'GET /auth/me': 'auth-me.all-in-one',
  'PUT /merchants/me': 'put-merchants-me.all-in-one',
  'POST /auth/token': 'token.all-in-one',
  'POST /auth/register': 'register.all-in-one',
};

/**
 * The limits measured in this run, by key: the bare-HTTP and read-limit scenarios, the hashing
 * limit, and for the mix the rate its parts would reach if nothing interfered.
 */
export interface Limit {
  requestsPerSecond: number;
  cpuMsPerRequest: number;
}

export function baselineRates(results: ScenarioResult[], hashing: HashingLimit | undefined): Partial<Record<BaselineKey, Limit>> {
  const rates: Partial<Record<BaselineKey, Limit>> = {};
  for (const r of results)
    if (r.defines) rates[r.defines] = { requestsPerSecond: r.load.requestsPerSecond, cpuMsPerRequest: r.cpuMsPerRequest };
  if (hashing) rates.hashing = { requestsPerSecond: hashing.comparesPerSecond, cpuMsPerRequest: hashing.cpuMsPerCompare };
  const byId = new Map(results.map((r) => [r.id, r.load.requestsPerSecond]));
  const cpuById = new Map(results.map((r) => [r.id, r.cpuMsPerRequest]));
  const secondsPerRequest = MIXED_WORKLOAD.reduce((sum, op) => sum + op.share / (byId.get(MIX_PARTS[op.name]) ?? NaN), 0);
  const cpuPerRequest = MIXED_WORKLOAD.reduce((sum, op) => sum + op.share * (cpuById.get(MIX_PARTS[op.name]) ?? NaN), 0);
  if (Number.isFinite(secondsPerRequest) && secondsPerRequest > 0)
    rates.parts = { requestsPerSecond: 1 / secondsPerRequest, cpuMsPerRequest: cpuPerRequest };
  return rates;
}

/** Fills in each compared scenario's baseline rate and ratio. */
export function applyBaselines(results: ScenarioResult[], limits: Partial<Record<BaselineKey, Limit>>): void {
  for (const r of results) {
    const limit = r.comparedWith ? limits[r.comparedWith] : undefined;
    if (!limit) continue;
    if (Number.isFinite(limit.requestsPerSecond) && limit.requestsPerSecond > 0) {
      r.baselineRequestsPerSecond = limit.requestsPerSecond;
      r.ratio = r.load.requestsPerSecond / limit.requestsPerSecond;
    }
    if (Number.isFinite(limit.cpuMsPerRequest) && Number.isFinite(r.cpuMsPerRequest) && r.cpuMsPerRequest > 0) {
      r.cpuRatio = limit.cpuMsPerRequest / r.cpuMsPerRequest;
    }
  }
}
