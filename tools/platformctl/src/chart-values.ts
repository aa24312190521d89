/**
 * The application chart's values as the tools read them: each service's pod size
 * (`services.<name>.resources`) and its autoscaling target. The capacity plan sizes pods from
 * them, and the bench runs each service under its pod's memory limit.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { REPOSITORY_ROOT } from './repository.js';

export const APP_VALUES_FILE = `${REPOSITORY_ROOT}charts/merchant-platform/values.yaml`;

export interface ServiceValues {
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  autoscaling: { targetCPUUtilizationPercentage: number };
}

export function readServiceValues(valuesFile = APP_VALUES_FILE): Record<string, ServiceValues> {
  return (parse(readFileSync(valuesFile, 'utf8')) as { services: Record<string, ServiceValues> }).services;
}

const BINARY_SUFFIXES: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024 };
const DECIMAL_SUFFIXES: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9 };

/** A Kubernetes memory quantity ("320Mi", "1Gi", "512M", or bytes) in MiB. */
export function mebibytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMG]i|[kMG])?$/.exec(quantity.trim());
  if (!match) throw new Error(`not a memory quantity: ${quantity}`);
  const value = Number(match[1]);
  const suffix = match[2] ?? '';
  if (suffix in BINARY_SUFFIXES) return value * BINARY_SUFFIXES[suffix]!;
  return (value * (DECIMAL_SUFFIXES[suffix] ?? 1)) / 2 ** 20;
}
