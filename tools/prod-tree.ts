/**
 * Assembles the production tree of one service under build/prod/<service>/: what its image holds
 * under /app, and what the tests start services from.
 *
 *   root package.json + package-lock.json
 *   services/common/{package.json,dist}
 *   services/<service>/{package.json,dist[,templates,static,src/views]}
 *   node_modules/: exactly the production dependencies of those two workspaces, hard-linked from the
 *   installed tree (so native modules built by `npm ci` come along, nothing is downloaded) and
 *   resolved from package-lock.json the way Node resolves them; workspace packages are symlinks.
 *   services/<service>/dist/main.js: then replaced by a bundle of what it imports (bundle.ts), which
 *   starts in about three quarters of the time.
 *
 * Run after `npm ci` and `npm run build`:  npm run build:prod-tree -- auth [merchants email]
 *
 * Why not npm's own `npm ci --omit=dev --workspace services/<service>`: npm installs from the
 * scope of the root project whatever the workspace filter, so the tree it makes holds the other
 * workspaces' dependencies too (npm/cli#5969, still so in npm 11), and workspace packages listed
 * as dev dependencies stay in (npm/cli#6670). It also re-resolves and fetches packages, where this
 * walker links the very files `npm ci` built (native modules included) with no network. The
 * cluster rehearsal (test/k8s/rehearsal.test.ts) runs every service from the trees it makes.
 */
import {
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleServiceEntry } from './bundle.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const DEPLOYABLE_SERVICES = ['auth', 'merchants', 'email', 'console'] as const;
export type DeployableService = (typeof DEPLOYABLE_SERVICES)[number];
/** Every tree an image is built from: each service, and all of them in one process (the `all-in-one` target). */
export const PRODUCTION_TREES = [...DEPLOYABLE_SERVICES, 'all-in-one'] as const;
export type ProductionTree = (typeof PRODUCTION_TREES)[number];

interface LockEntry {
  version?: string;
  resolved?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

/** `node_modules/a/node_modules/b` -> `node_modules/a`; `services/auth` -> `` (the root). */
function parentLocation(location: string): string | undefined {
  if (location === '') return undefined;
  const index = location.lastIndexOf('/node_modules/');
  if (index >= 0) return location.slice(0, index);
  return '';
}

/** Where Node would find `name` when `from` requires it, as a package-lock path. */
function resolveFrom(lock: Lockfile, from: string, name: string): string | undefined {
  for (let location: string | undefined = from; location !== undefined; location = parentLocation(location)) {
    const candidate = location === '' ? `node_modules/${name}` : `${location}/node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
  }
  return undefined;
}

export interface ProductionClosure {
  /** Installed package directories to copy (lockfile paths). */
  packages: string[];
  /** Workspace links: lockfile path -> workspace folder. */
  links: Record<string, string>;
}

/** Every package the given workspaces need at run time, following the lockfile. */
export function productionClosure(lock: Lockfile, workspaces: string[]): ProductionClosure {
  const packages = new Set<string>();
  const links: Record<string, string> = {};
  const visited = new Set<string>();
  const queue = [...workspaces];
  while (queue.length > 0) {
    const location = queue.shift()!;
    if (visited.has(location)) continue;
    visited.add(location);
    const entry = lock.packages[location];
    if (!entry) throw new Error(`${location} is not in package-lock.json`);
    const required = Object.keys({ ...entry.dependencies, ...entry.peerDependencies });
    const optional = new Set([
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.entries(entry.peerDependenciesMeta ?? {})
        .filter(([, m]) => m.optional)
        .map(([n]) => n),
    ]);
    for (const name of new Set([...required, ...optional])) {
      const found = resolveFrom(lock, location, name);
      if (!found) {
        if (optional.has(name)) continue;
        throw new Error(`${location} needs ${name}, which package-lock.json does not have`);
      }
      const target = lock.packages[found]!;
      if (target.link) {
        if (!target.resolved) throw new Error(`link ${found} has no target`);
        links[found] = target.resolved;
        queue.push(target.resolved);
        continue;
      }
      // An optional dependency that only dev tooling installed (debug's supports-color) stays out.
      if (target.dev && optional.has(name)) continue;
      if (target.dev) throw new Error(`${name} (${found}) is needed at run time but package-lock.json marks it dev-only`);
      // Platform-specific optional packages are in the lockfile but installed only where they fit.
      if ((target.optional || optional.has(name)) && !existsSync(join(repoRoot, found))) continue;
      packages.add(found);
      queue.push(found);
    }
  }
  return { packages: [...packages].sort(), links };
}

function readLock(root: string): Lockfile {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lockfile;
  if (lock.lockfileVersion < 2) throw new Error('package-lock.json must be lockfileVersion 2 or later');
  return lock;
}

/**
 * Hard-links (or, across file systems, copies) a tree: the installed modules are read-only inputs,
 * and linking hundreds of megabytes takes a fraction of the time copying them does.
 */
function linkTree(from: string, to: string, keep: (path: string) => boolean): void {
  const stat = lstatSync(from);
  if (stat.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
  } else if (stat.isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from)) if (keep(join(from, entry))) linkTree(join(from, entry), join(to, entry), keep);
  } else {
    try {
      linkSync(from, to);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      copyFileSync(from, to);
    }
  }
}

/** A package folder without its own node_modules (needed nested packages come on their own). */
function copyPackage(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  linkTree(from, to, (source) => {
    const path = relative(from, source);
    // A native addon's compiler leftovers are not needed to load it.
    return !path.split(sep).includes('node_modules') && !/^build\/Release\/(obj|obj\.target|\.deps)(\/|$)|^build\/.*\.a$/.test(path);
  });
}

function copyWorkspace(root: string, out: string, workspace: string): void {
  const source = join(root, workspace);
  const dist = join(source, 'dist');
  if (!existsSync(join(dist))) throw new Error(`${workspace}/dist is missing: run npm run build first`);
  copyPackage(join(source, 'package.json'), join(out, workspace, 'package.json'));
  cpSync(dist, join(out, workspace, 'dist'), {
    recursive: true,
    // Type declarations and tsc -b's incremental state are for compilers; the image carries only what runs (and source maps).
    filter: (path) => !/\.d\.ts(\.map)?$|\.tsbuildinfo$/.test(path),
  });
  // Files a service reads at run time besides its code: e-mail templates, the console's views and static files.
  for (const assets of RUNTIME_ASSETS) {
    if (existsSync(join(source, assets))) cpSync(join(source, assets), join(out, workspace, assets), { recursive: true });
  }
}

const RUNTIME_ASSETS = ['templates', 'static', 'src/views'];

/** Builds build/prod/<service> (or `out`) from the installed and built repository at `root`. */
export async function assembleProductionTree(service: ProductionTree, options: { root?: string; out?: string } = {}): Promise<string> {
  const root = options.root ?? repoRoot;
  const out = options.out ?? join(root, 'build', 'prod', service);
  const workspace = `services/${service}`;
  const lock = readLock(root);
  const closure = productionClosure(lock, [workspace]);

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) cpSync(join(root, file), join(out, file));
  const workspaces = new Set([workspace, ...Object.values(closure.links)]);
  for (const ws of workspaces) copyWorkspace(root, out, ws);
  for (const location of closure.packages) copyPackage(join(root, location), join(out, location));
  for (const [location, target] of Object.entries(closure.links)) {
    mkdirSync(dirname(join(out, location)), { recursive: true });
    symlinkSync(relative(dirname(join(out, location)), join(out, target)), join(out, location));
  }
  await bundleServiceEntry(out, service);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((s) => !(PRODUCTION_TREES as readonly string[]).includes(s));
  if (requested.length === 0 || unknown.length > 0) {
    process.stderr.write(`usage: prod-tree.ts ${PRODUCTION_TREES.join('|')}... (unknown: ${unknown.join(', ') || 'none'})\n`);
    process.exit(64);
  }
  for (const service of requested as ProductionTree[]) {
    process.stdout.write(`${relative(process.cwd(), await assembleProductionTree(service))}\n`);
  }
}
