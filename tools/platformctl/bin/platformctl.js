#!/usr/bin/env node
// The `platformctl` command (npm links it into node_modules/.bin): runs the TypeScript sources
// through tsx with the `source` export condition, as `npm run platformctl` does.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(import.meta.resolve('../src/main.ts'));
const run = spawnSync(process.execPath, ['--conditions=source', '--import=tsx', main, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exitCode = run.status ?? 1;
