import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../../tools/k8s-tools.js';
import { PRODUCTION_TREES } from '../../../tools/prod-tree.js';

let built = false;

/**
 * Runs the Dockerfile's build steps (`npm run build`, then `npm run build:prod-tree`) once per test
 * run and returns where the production trees are: build/prod/<service>.
 */
export function buildProductionTrees(): string {
  if (!built) {
    const run = (args: string[]) => {
      try {
        execFileSync('npm', args, { cwd: repoRoot, stdio: 'pipe', encoding: 'utf8' });
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string };
        throw new Error(`npm ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: error });
      }
    };
    run(['run', 'build']);
    run(['run', 'build:prod-tree', '--', ...PRODUCTION_TREES]);
    built = true;
  }
  return join(repoRoot, 'build', 'prod');
}
