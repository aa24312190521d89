import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { assembleProductionTree, type ProductionTree } from '../tools/prod-tree.js';
import type { BenchOptions } from './options.js';
import { ROOT } from './processes.js';

/** What to run for one of a service's scripts: node's flags and its arguments. */
export interface ServiceEntry {
  args: string[];
  nodeFlags: string[];
}

const assembled = new Map<ProductionTree, Promise<string>>();

/**
 * A service's `main` or `migrate` as the bench runs it. By default as its image runs it: from the
 * production tree (build/prod/<tree>, assembled once per run), where main.js is the bundle
 * tools/bundle.ts makes, so cold start and memory are the image's. `--unbundled` runs tsc's
 * modules instead, one file each, which `--cpu-prof` summaries can name by package;
 * `--from-source` runs the TypeScript through tsx.
 */
export async function serviceEntry(service: ProductionTree, script: 'main' | 'migrate', options: BenchOptions): Promise<ServiceEntry> {
  if (options.fromSource) {
    return { args: [`services/${service}/src/${script}.ts`], nodeFlags: ['--conditions=source', '--import=tsx'] };
  }
  const built = `services/${service}/dist/${script}.js`;
  if (!existsSync(join(ROOT, built))) {
    throw new Error(`${built} is missing: run \`npm run build\` first (npm run bench does), or pass --from-source`);
  }
  if (options.unbundled) return { args: [built], nodeFlags: [] };
  let tree = assembled.get(service);
  if (!tree) assembled.set(service, (tree = assembleProductionTree(service)));
  return { args: [relative(ROOT, join(await tree, built))], nodeFlags: [] };
}
