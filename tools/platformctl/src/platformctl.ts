import { EX_USAGE, cliArguments, type CliIo } from '@merchant-platform/common/cli';
import { IMPORT_SEED_HELP, runImportSeedCommand } from '@merchant-platform/auth/cli/import-seed-command';
import { CAPACITY_HELP, runCapacity } from './capacity/capacity-command.js';
import { OperatorError } from './kube/cluster.js';
import { ROTATE_HELP, runRotateSigningKey } from './rotation/rotate-command.js';
import { STATUS_HELP, runStatus } from './status/status-command.js';

const COMMANDS: Record<string, { run: (io: CliIo) => Promise<number>; help: string }> = {
  status: { run: runStatus, help: STATUS_HELP },
  'rotate-signing-key': { run: runRotateSigningKey, help: ROTATE_HELP },
  // auth's own command: it writes auth's tables, so it lives (and is tested) with auth.
  capacity: { run: runCapacity, help: CAPACITY_HELP },
  'import-seed': {
    run: (io) => runImportSeedCommand({ ...io, argv: cliArguments(io).slice(1) }, { interactive: process.stderr.isTTY }),
    help: IMPORT_SEED_HELP,
  },
};

const firstLine = (help: string) => help.split('\n')[0]!.replace(/^usage: /, '');

export const PLATFORMCTL_HELP = `usage: platformctl <command> [options]   (npm run platformctl -- <command> [options])

The operator's tool for a Merchant Platform release on Kubernetes.

${Object.values(COMMANDS)
  .map((c) => `  ${firstLine(c.help)}`)
  .join('\n')}

platformctl <command> --help describes each one.`;

/** Runs one command; resolves with its exit code. Operator errors print their message, not a stack. */
export async function runPlatformctl(io: CliIo): Promise<number> {
  const [name] = cliArguments(io);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(PLATFORMCTL_HELP);
    return name === undefined ? EX_USAGE : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${PLATFORMCTL_HELP}`);
    return EX_USAGE;
  }
  try {
    return await command.run(io);
  } catch (error) {
    if (!(error instanceof OperatorError)) throw error;
    io.err(error.message);
    return error.exitCode;
  }
}
