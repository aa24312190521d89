import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EX_USAGE, cliArguments, type CliIo } from '@merchant-platform/common/cli';
import { OperatorError } from './kube/cluster.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>>['values'];

/** The options every command that talks to the cluster takes. */
export const CLUSTER_OPTIONS = {
  namespace: { type: 'string', short: 'n' },
  release: { type: 'string', default: 'merchant-platform' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export const CLUSTER_HELP = `  -n, --namespace NS   the release's namespace (default: the kubeconfig context's, else "default")
      --release NAME   the Helm release (default: merchant-platform)
      --kubeconfig F   the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)
      --context NAME   a context of the kubeconfig other than the current one
  -h, --help           this text`;

/** The command's options after its name; a wrong one is a usage error that shows the help. */
export function parseCommandLine<O extends Options>(io: CliIo, options: O, help: string): Parsed<O> {
  try {
    // `--users -5` reads as a negative value (which the command then refuses by name), not as an unknown option -5.
    const args = cliArguments(io)
      .slice(1)
      .reduce<string[]>(
        (out, arg) => (/^-\d/.test(arg) && out.at(-1)?.startsWith('--') ? [...out.slice(0, -1), `${out.at(-1)}=${arg}`] : [...out, arg]),
        [],
      );
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new OperatorError(`${(error as Error).message}\n\n${help}`, EX_USAGE);
  }
}
