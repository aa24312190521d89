import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { describe, it, before } from 'mocha';
import { freePort } from '@merchant-platform/common/testing/ports';
import { spawnReadyService } from '@merchant-platform/common/testing/processes';
import { repoRoot } from '../../tools/k8s-tools.js';
import { parseDockerfile, readDockerfile, stageEnv, type Instruction, type Stage } from '../../tools/dockerfile.js';
import { DATABASE_TIME_ZONE, openDatabase } from '@merchant-platform/common/db/database';
import { isAscii } from '../../tools/ascii-source.js';
import { BUNDLE_CHUNK_PREFIX } from '../../tools/bundle.js';
import { DEPLOYABLE_SERVICES, PRODUCTION_TREES } from '../../tools/prod-tree.js';
import { buildProductionTrees } from './support/build.js';

const dockerfile = readDockerfile();
const stage = (name: string): Stage => {
  const found = dockerfile.stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
};
/** A stage's instructions including those of the stages it is built FROM. */
function lineage(name: string): Instruction[] {
  const s = stage(name);
  const parent = dockerfile.stages.find((p) => p.name === s.base);
  return [...(parent ? lineage(parent.name) : []), ...s.instructions];
}
/** `file` and the files of tools/ it imports, directly or through another. */
function toolsImportedBy(file: string, seen = new Set<string>()): string[] {
  seen.add(file);
  const source = readFileSync(join(repoRoot, file), 'utf8');
  for (const [, name] of source.matchAll(/from '\.\/([\w-]+)\.js'/g)) {
    const imported = `tools/${name}.ts`;
    if (!seen.has(imported)) toolsImportedBy(imported, seen);
  }
  return [...seen];
}
const last = (instructions: Instruction[], keyword: string) => instructions.filter((i) => i.keyword === keyword).at(-1);

describe('the Dockerfile', function () {
  it('builds on a pinned Node LTS slim image', () => {
    const image = dockerfile.args.NODE_IMAGE ?? '';
    const match = /^node:(\d+)\.\d+\.\d+-[a-z]+-slim(@sha256:[a-f0-9]{64})?$/.exec(image);
    assert.ok(match, `NODE_IMAGE=${image} is not node:<x.y.z>-<debian>-slim`);
    assert.equal(Number(match[1]) % 2, 0, 'odd Node majors never become LTS');
    for (const s of dockerfile.stages.filter((s) => !dockerfile.stages.some((p) => p.name === s.base))) {
      assert.equal(s.base, '${NODE_IMAGE}', `stage ${s.name} starts from ${s.base}`);
    }
  });

  it('sets the runtime environment every service (and the bench) starts with', () => {
    const env = stageEnv(dockerfile, 'runtime');
    assert.equal(env.NODE_ENV, 'production');
    assert.equal(env.MALLOC_ARENA_MAX, '2', 'two glibc arenas: less resident memory under load');
    assert.ok(env.NODE_OPTIONS !== undefined && !/--inspect/.test(env.NODE_OPTIONS));
    assert.match(env.NODE_OPTIONS, /(^| )--max-semi-space-size=8( |$)/, "V8's young generation, not the 1 MiB a small pod gets");
    assert.deepEqual(stageEnv(parseDockerfile('FROM x AS runtime\nENV A="b c" \\\n  D=e\n'), 'runtime'), { A: 'b c', D: 'e' });
    for (const unreadable of [`A='b c'`, 'A="b\\"c"', 'A=b"c', 'A="b c" junk'])
      assert.throws(() => stageEnv(parseDockerfile(`FROM x AS runtime\nENV ${unreadable}\n`), 'runtime'), /cannot read ENV/, unreadable);
  });

  for (const service of DEPLOYABLE_SERVICES) {
    it(`the ${service} target runs node directly as a non-root numeric user with NODE_ENV=production`, () => {
      const instructions = lineage(service);
      const user = last(instructions, 'USER')?.args ?? '';
      assert.match(user, /^[1-9]\d*(:[1-9]\d*)?$/, `USER ${user}`);
      assert.equal(user.split(':')[0], '10001');
      assert.ok(instructions.some((i) => i.keyword === 'ENV' && /\bNODE_ENV=production\b/.test(i.args)));
      assert.deepEqual(JSON.parse(last(instructions, 'CMD')?.args ?? 'null'), ['node', `services/${service}/dist/main.js`]);
      assert.equal(last(instructions, 'ENTRYPOINT'), undefined, 'a shell entrypoint would swallow SIGTERM');
      // The image holds the production tree only: no compiler, no sources, no dev dependencies.
      const copies = stage(service).instructions.filter((i) => i.keyword === 'COPY');
      assert.deepEqual(
        copies.map((c) => c.args),
        [`--from=tree-${service} --chown=root:root /app/build/prod/${service}/ /app/`],
      );
      assert.match(
        lineage(`tree-${service}`)
          .map((i) => i.args)
          .join('\n'),
        new RegExp(`npm run build:prod-tree -- ${service}$`, 'm'),
      );
    });
  }

  it('the all-in-one target runs every service from its production tree as a non-root user, writing only to a DATA_DIR volume', () => {
    const instructions = lineage('all-in-one');
    assert.equal(last(instructions, 'USER')?.args, '10001:10001');
    assert.deepEqual(JSON.parse(last(instructions, 'CMD')?.args ?? 'null'), ['node', 'services/all-in-one/dist/main.js']);
    assert.equal(last(instructions, 'ENTRYPOINT'), undefined, 'a shell entrypoint would swallow SIGTERM');
    const copies = stage('all-in-one').instructions.filter((i) => i.keyword === 'COPY');
    assert.deepEqual(
      copies.map((c) => c.args),
      ['--from=tree-all-in-one --chown=root:root /app/build/prod/all-in-one/ /app/'],
    );
    assert.match(
      lineage('tree-all-in-one')
        .map((i) => i.args)
        .join('\n'),
      /npm run build:prod-tree -- all-in-one$/m,
    );
    // With a read-only root filesystem the data directory must be a volume the service user owns.
    assert.ok(instructions.some((i) => i.keyword === 'ENV' && /\bDATA_DIR=\/data\b/.test(i.args)));
    assert.deepEqual(JSON.parse(last(instructions, 'VOLUME')?.args ?? 'null'), ['/data']);
    assert.ok(instructions.some((i) => i.keyword === 'RUN' && /chown 10001:10001 \/data/.test(i.args)));
  });

  it('every final stage runs as a non-root numeric user', () => {
    const bases = new Set(dockerfile.stages.map((s) => s.base));
    const finals = dockerfile.stages.filter((s) => !bases.has(s.name));
    assert.deepEqual(
      finals.map((s) => s.name).sort(),
      ['all-in-one', ...DEPLOYABLE_SERVICES, 'dev', 'tree-all-in-one', ...DEPLOYABLE_SERVICES.map((s) => `tree-${s}`)].sort(),
    );
    for (const s of finals.filter((f) => !f.name.startsWith('tree-'))) {
      assert.match(last(lineage(s.name), 'USER')?.args ?? 'root', /^[1-9]\d*:[1-9]\d*$/, s.name);
    }
  });

  it('copies no .env file, key or secret into any layer, and declares no secret', () => {
    for (const s of dockerfile.stages) {
      for (const i of s.instructions) {
        if (i.keyword === 'ADD') assert.fail(`${s.name}: ADD fetches or unpacks implicitly; use COPY`);
        if (i.keyword === 'COPY') assert.doesNotMatch(i.args, /\.env|\.pem|\.key\b|secret|credential/i, `${s.name}: COPY ${i.args}`);
        if (i.keyword === 'ENV' || i.keyword === 'ARG')
          assert.doesNotMatch(i.args, /PASSWORD|SECRET|TOKEN|PRIVATE_KEY/i, `${s.name}: ${i.keyword} ${i.args}`);
      }
    }
    const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    assert.equal(
      ignore.find((l) => l && !l.startsWith('#')),
      '**',
      '.dockerignore must start from "ignore everything"',
    );
    for (const pattern of ['**/.env', '**/.env.*', '**/*.pem', 'services/*/node_modules', 'services/*/dist']) {
      assert.ok(ignore.includes(pattern), `.dockerignore lacks ${pattern}`);
    }
  });

  it('copies into the build stage every file the build scripts read', () => {
    const copied = stage('build')
      .instructions.filter((i) => i.keyword === 'COPY')
      // Every source of each COPY (the last word is where they go).
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    for (const ws of ['common', 'auth', 'merchants', 'email', 'all-in-one']) {
      assert.ok(copied.includes(`services/${ws}/package.json`), `services/${ws}/package.json is not copied before npm ci`);
    }
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts['build:prod-tree'] ?? '', /tools\/prod-tree\.ts/);
    const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    const tools = toolsImportedBy('tools/prod-tree.ts');
    assert.ok(tools.includes('tools/bundle.ts'), 'prod-tree.ts bundles main.js with tools/bundle.ts');
    for (const tool of tools) {
      assert.ok(copied.includes(tool), `the build stage lacks ${tool}`);
      assert.ok(ignore.includes(`!${tool}`), `.dockerignore keeps ${tool} out`);
    }
  });
});

describe('the production tree', function () {
  this.timeout(240_000);
  let prod = '';
  before(() => {
    prod = buildProductionTrees();
  });

  for (const service of DEPLOYABLE_SERVICES) {
    it(`the ${service} tree holds each file its image runs, and resolves every import without dev dependencies`, () => {
      const tree = join(prod, service);
      for (const file of [`services/${service}/dist/main.js`, `services/${service}/dist/migrate.js`, 'services/common/package.json']) {
        assert.ok(existsSync(join(tree, file)), `${file} is missing from build/prod/${service}`);
      }
      for (const devOnly of ['typescript', 'mocha', 'tsx', 'eslint', 'kubernetes-models', '@monokle/validation']) {
        assert.ok(!existsSync(join(tree, 'node_modules', devOnly)), `${devOnly} is in the production tree`);
      }
      const other = DEPLOYABLE_SERVICES.filter((s) => s !== service);
      for (const s of other) assert.ok(!existsSync(join(tree, 'services', s)), `services/${s} is in the ${service} tree`);
      // Loading the app module imports every runtime dependency without starting a server.
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', `await import('./services/${service}/dist/app.js')`], {
        cwd: tree,
        env: { PATH: process.env.PATH, NODE_ENV: 'production' },
        encoding: 'utf8',
      });
      assert.equal(result.status, 0, result.stderr);
    });
  }

  for (const tree of PRODUCTION_TREES) {
    it(`the ${tree} tree's main.js is one bundle, split only where the code imports lazily, mapped to the TypeScript`, () => {
      const dist = join(prod, tree, 'services', tree, 'dist');
      const main = readFileSync(join(dist, 'main.js'), 'utf8');
      // tsc's main.js imports its neighbours ("./config.js"); the bundle imports only its own chunks.
      const relativeImports = [
        ...main.matchAll(/\bfrom\s*"(\.{1,2}\/[^"]+\.js)"/g),
        ...main.matchAll(/\bimport\("(\.{1,2}\/[^"]+\.js)"\)/g),
      ].map((m) => m[1]!);
      // Every service opens its database through a lazily imported driver wrapper: there is a chunk.
      assert.ok(relativeImports.length > 0, 'the bundle imports its chunks');
      for (const specifier of relativeImports) assert.match(specifier, new RegExp(`^\\./${BUNDLE_CHUNK_PREFIX}`));
      assert.doesNotMatch(main, /from ["']@merchant-platform\//, 'workspace packages are bundled in');
      // Chained through tsc's maps: a line of the bundle leads to the TypeScript it came from.
      const map = new TraceMap(readFileSync(join(dist, 'main.js.map'), 'utf8'));
      const at = main.indexOf('function createApp(');
      assert.ok(at >= 0, 'createApp is in the bundle');
      const before = main.slice(0, at);
      const line = before.split('\n').length;
      const original = originalPositionFor(map, { line, column: at - (before.lastIndexOf('\n') + 1) });
      assert.equal(original.source, '../../common/src/http/app.ts');
      assert.ok(
        map.sources.every((source) => !source?.includes('node_modules/')),
        "the packages' lines are left out of the map",
      );
    });
  }

  for (const tree of PRODUCTION_TREES) {
    it(`the ${tree} tree's bundle is ASCII and carries no time-zone data`, () => {
      const dist = join(prod, tree, 'services', tree, 'dist');
      const bundleFiles = readdirSync(dist).filter(
        (name) => name === 'main.js' || (name.startsWith(BUNDLE_CHUNK_PREFIX) && name.endsWith('.js')),
      );
      for (const file of bundleFiles) {
        const source = readFileSync(join(dist, file), 'utf8');
        // V8 holds a source with one character past Latin-1 at two bytes a character, for the process's life.
        assert.ok(isAscii(source), `${file} is ASCII`);
        assert.ok(!source.includes('America/New_York'), `${file} carries none of moment-timezone's zone data`);
      }
    });
  }

  it('gives Sequelize a fixed UTC offset, which it applies without any zone data', async () => {
    const database = await openDatabase('sqlite::memory:');
    try {
      // Sequelize's typings leave out the options it was given; the instance keeps them.
      const { options } = database.sequelize as unknown as { options: { timezone: string } };
      assert.equal(options.timezone, DATABASE_TIME_ZONE);
      assert.match(DATABASE_TIME_ZONE, /^[+-]\d\d:\d\d$/, 'an offset, not a zone name');
    } finally {
      await database.close();
    }
  });

  it('the all-in-one tree starts every service on SQLite and keeps its database in DATA_DIR', async () => {
    const tree = join(prod, 'all-in-one');
    for (const s of DEPLOYABLE_SERVICES)
      assert.ok(existsSync(join(tree, 'services', s, 'dist')), `services/${s} is missing from the all-in-one tree`);
    for (const devOnly of ['typescript', 'mocha', 'tsx'])
      assert.ok(!existsSync(join(tree, 'node_modules', devOnly)), `${devOnly} is in the all-in-one tree`);
    const data = mkdtempSync(join(tmpdir(), 'mp-all-in-one-data-'));
    const service = await spawnReadyService(
      [join(tree, 'services', 'all-in-one', 'dist', 'main.js')],
      { DATA_DIR: data },
      await freePort(),
      { fromSource: false, timeoutMs: 60_000 },
    );
    try {
      const jwks = await fetch(`${service.base}/auth/.well-known/jwks.json`);
      assert.equal(jwks.status, 200);
      // Files the bundled modules read beside their original place: views, static files, API docs' assets.
      const signIn = await fetch(`${service.base}/sign-in`);
      assert.equal(signIn.status, 200);
      assert.match(await signIn.text(), /<link rel="stylesheet" href="\/static\/style\.css">/, 'rendered from the layout view');
      const servedFiles: Record<string, string> = {
        '/static/style.css': 'services/console/static/style.css',
        '/static/vendor/simplewebauthn-browser.js': 'node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js',
        '/docs/swagger-ui.css': 'node_modules/swagger-ui-dist/swagger-ui.css',
      };
      for (const [path, file] of Object.entries(servedFiles)) {
        const response = await fetch(`${service.base}${path}`);
        assert.equal(response.status, 200, path);
        assert.equal(await response.text(), readFileSync(join(tree, file), 'utf8'), `${path} is ${file}`);
      }
      assert.ok(
        readdirSync(data).some((f) => f.endsWith('.sqlite')),
        'the database lives in DATA_DIR',
      );
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('the email tree carries the templates the service renders', () => {
    assert.ok(existsSync(join(prod, 'email', 'services', 'email', 'templates')));
  });
});
