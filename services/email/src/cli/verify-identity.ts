import { runVerifyIdentity } from './verify-identity-command.js';

process.exitCode = await runVerifyIdentity({
  argv: process.argv.slice(2),
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
