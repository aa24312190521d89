import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_CODES } from '@merchant-platform/common/exit-codes';
import { OperatorError } from '../kube/cluster.js';

/** The parts of a `npm run bench` report (bench/report.ts) the plan reads. */
export interface BenchResults {
  file: string;
  startedAt: string;
  quick: boolean;
  machine: string;
  database: string;
  scenarios: { id: string; cpuMsPerRequest: number; peakRssMiB: Record<string, number> }[];
}

/** The newest report in the folder `npm run bench` writes to (its file names start with the time). */
export function latestBenchResults(folder: string): BenchResults {
  const files = existsSync(folder) ? readdirSync(folder).filter((f) => /^\d{4}-.*\.json$/.test(f)) : [];
  const newest = files.sort().at(-1);
  if (!newest) {
    throw new OperatorError(`No bench results in ${folder}: run npm run bench first (it writes them there).`, EXIT_CODES.inputMissing);
  }
  const file = join(folder, newest);
  try {
    const report = JSON.parse(readFileSync(file, 'utf8')) as Omit<BenchResults, 'file'>;
    if (!Array.isArray(report.scenarios)) throw new Error('no scenarios');
    return { ...report, file };
  } catch (error) {
    throw new OperatorError(
      `${file} is not a bench report (${(error as Error).message}): run npm run bench again.`,
      EXIT_CODES.inputMissing,
    );
  }
}
