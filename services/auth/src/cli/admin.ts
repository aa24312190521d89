import { runAdminCommand } from './admin-command.js';

process.exitCode = await runAdminCommand({
  argv: process.argv.slice(2),
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
