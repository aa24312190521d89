/**
 * Turns a production tree's `services/<service>/dist/main.js` into one bundle of its module graph
 * (with a chunk per lazily imported part), so the image starts without resolving, reading and
 * compiling the service's few hundred ES modules and its packages one file at a time: that was
 * most of its cold start (bench/README.md, "Cold start"). Called by prod-tree.ts on every tree.
 *
 * Everything else in the tree stays as tsc built it: migrate.js and the CLIs import the modules,
 * and the tests run them. The bundle keeps what the modules rely on at run time:
 * - each module's `import.meta.url` is its own file's URL, so the e-mail templates, the console's
 *   views and static files are found where they were;
 * - `require` exists (esbuild's CommonJS shims call it for Node's built-ins and for the packages
 *   below), through `createRequire`, so OpenTelemetry's require hooks see every built-in loaded;
 * - stack traces map to the TypeScript sources through tsc's source maps, which esbuild chains.
 *   The packages' lines are left out of the map: with them it was 3 MB, and `--enable-source-maps`
 *   (the images' NODE_OPTIONS) cost a third of a second and 70 MiB to load it. A package's frame
 *   shows as a line of the bundle, with the error's own message as before.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { addMapping, GenMapping, toEncodedMap } from '@jridgewell/gen-mapping';
import { eachMapping, TraceMap, type SourceMapInput } from '@jridgewell/trace-mapping';
import { build, type OutputFile, type Plugin } from 'esbuild';
import { escapeNonAsciiPatternsAndComments } from './ascii-source.js';

/**
 * Left to Node's resolver at run time:
 * - native addons (their loaders find the compiled `.node` file next to them);
 * - the drivers Sequelize names for dialects the platform does not use (not installed);
 * - what the services import lazily, for some settings or requests only: the AWS SDK (first
 *   e-mail), the Kubernetes client (TokenReview mode), umzug (migrations; bundled into a chunk
 *   it started the all-in-one process no faster), qrcode (TOTP enrolment). A chunk would not
 *   make a start shorter, and each runs as the package its tests load;
 * - OpenTelemetry, which tracing/start.ts loads with `require` when tracing is on.
 */
const RUN_TIME_PACKAGES = [
  'bcrypt',
  'sqlite3',
  'pg',
  'pg-hstore',
  'tedious',
  'mariadb',
  'oracledb',
  'ibm_db',
  'snowflake-sdk',
  '@aws-sdk/*',
  '@kubernetes/client-node',
  'umzug',
  'qrcode',
  '@opentelemetry/*',
];

/** Prefix of the files besides main.js that the bundle is split into. */
export const BUNDLE_CHUNK_PREFIX = 'bundle-';

const REQUIRE_SHIM =
  "import { createRequire as __bundleCreateRequire } from 'node:module';\nconst require = __bundleCreateRequire(import.meta.url);";

/**
 * Each module's source as the bundle needs it:
 * - its `import.meta.url` is rewritten to its original file, relative to the bundle (which moves
 *   with the tree). Every occurrence in the file, a string's included: none is more than text;
 * - the non-ASCII characters esbuild would leave in it are escaped, so the bundle is ASCII
 *   (ascii-source.ts says why).
 */
function bundleSources(outDir: string): Plugin {
  return {
    name: 'bundle-sources',
    setup(bundler) {
      bundler.onLoad({ filter: /\.[cm]?js$/ }, (args) => {
        const read = readFileSync(args.path, 'utf8');
        let source = escapeNonAsciiPatternsAndComments(read);
        if (source.includes('import.meta.url')) {
          const fromBundle = relative(outDir, args.path).split('\\').join('/');
          source = source.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`);
        }
        return source === read ? undefined : { contents: source, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * Sequelize imports moment-timezone, whose index loads the whole IANA zone database into it: 700 KB
 * of each bundle (a sixth), and some 35 ms and 1 MiB at every start. The services give Sequelize
 * a fixed offset (DATABASE_TIME_ZONE), which it applies without any zone, so the bundle takes the
 * library without its data: the file the index loads the data into.
 */
function momentTimezoneWithoutData(): Plugin {
  return {
    name: 'moment-timezone-without-data',
    setup(bundler) {
      bundler.onResolve({ filter: /^moment-timezone$/ }, ({ resolveDir, kind }) =>
        bundler.resolve('moment-timezone/moment-timezone.js', { resolveDir, kind }),
      );
    },
  };
}

/** Bundles `<tree>/services/<service>/dist/main.js` in place, its chunks and source maps beside it. */
export async function bundleServiceEntry(tree: string, service: string): Promise<void> {
  const outDir = join(tree, 'services', service, 'dist');
  const entry = join(outDir, 'main.js');
  const result = await build({
    entryPoints: [entry],
    outdir: outDir,
    // Chunks beside main.js: every output file is in one folder, so bundleSources' paths hold for all.
    chunkNames: `${BUNDLE_CHUNK_PREFIX}[name]-[hash]`,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // The Node that builds the tree runs it: the Dockerfile's build and runtime stages share NODE_IMAGE.
    target: `node${process.versions.node.split('.')[0]}`,
    external: RUN_TIME_PACKAGES,
    banner: { js: REQUIRE_SHIM },
    sourcemap: 'linked',
    sourcesContent: false,
    // Identifiers stay (stack traces name functions); the rest shrinks the source V8 holds in
    // memory for the process's life by a quarter, which kept RSS where the modules had it.
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [bundleSources(outDir), momentTimezoneWithoutData()],
    write: false,
    logLevel: 'error',
  });
  for (const file of result.outputFiles) {
    // main.js is also an input: written only after the build read it. Hard links from the installed
    // tree are replaced, not written through.
    rmSync(file.path, { force: true });
    writeFileSync(file.path, file.path.endsWith('.map') ? withoutPackages(file) : file.contents);
  }
}

/** The source map without the lines that come from node_modules: only the services' own code. */
function withoutPackages(file: OutputFile): string {
  const bundled = new TraceMap(file.text as SourceMapInput);
  const kept = new GenMapping({ file: bundled.file ?? null });
  eachMapping(bundled, (mapping) => {
    if (mapping.source === null || mapping.source.includes('node_modules/')) return;
    const generated = { line: mapping.generatedLine, column: mapping.generatedColumn };
    const original = { line: mapping.originalLine, column: mapping.originalColumn };
    if (mapping.name === null) addMapping(kept, { generated, source: mapping.source, original });
    else addMapping(kept, { generated, source: mapping.source, original, name: mapping.name });
  });
  return JSON.stringify(toEncodedMap(kept));
}
