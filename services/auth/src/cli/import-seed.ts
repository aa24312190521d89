import { runImportSeedCommand } from './import-seed-command.js';

process.exitCode = await runImportSeedCommand(
  {
    argv: process.argv.slice(2),
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  },
  { interactive: process.stderr.isTTY },
);
