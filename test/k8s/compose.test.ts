/**
 * compose.yaml, checked offline: no Docker engine runs here. The file is validated against the
 * Compose Specification's JSON schema (test/k8s/schemas/compose-spec.json), interpolated with
 * compose.env.example as `docker compose` would interpolate it with a .env file, and each service's
 * configuration is loaded from the environment it would get.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { assertConfigLoadsFrom } from './support/service-config.js';
import { repoRoot, SERVICES } from './support/render.js';

/** compose.yaml runs every service, the console included, each after its own migration. */
const COMPOSE_SERVICES = SERVICES;
/** The services that call another with the shared service token (the console calls only the public APIs, as the person). */
const TOKEN_CALLERS = SERVICES.filter((s) => s !== 'console');

interface ComposeService {
  image?: string;
  build?: { context: string; target: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  secrets?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
  read_only?: boolean;
  cap_drop?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
  volumes: Record<string, unknown>;
}

const text = readFileSync(join(repoRoot, 'compose.yaml'), 'utf8');
// Compose files use YAML merge keys (`<<: *service`).
const raw = parse(text, { merge: true }) as ComposeFile;
const schema = JSON.parse(readFileSync(join(repoRoot, 'test', 'k8s', 'schemas', 'compose-spec.json'), 'utf8')) as Record<string, unknown>;

/** The .env a user makes from compose.env.example (its placeholders as they stand). */
const exampleEnv = Object.fromEntries(
  readFileSync(join(repoRoot, 'compose.env.example'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
);

/** Compose's interpolation: `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `$$`. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
    (match, name: string | undefined, colon: string, op: string, arg: string) => {
      if (match === '$$') return '$';
      const set = name! in env && (colon !== ':' || env[name!] !== '');
      if (set) return env[name!]!;
      if (op === '?') throw new Error(`${name} is required: ${arg}`);
      return op === '-' ? arg : '';
    },
  );
}

/** As compose does it: the YAML is parsed first, then every string in it is interpolated. */
function interpolated(env: Record<string, string>): ComposeFile {
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return interpolate(node, env);
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return walk(raw) as ComposeFile;
}

/**
 * The schema is draft 2019-09, which Ajv2019 implements, but still labels its sub-schemas with
 * draft-04 `id` strings ("#/definitions/service"); they are labels only (every $ref is a path), so
 * they are dropped, as is the `$schema` URL Ajv does not know in its http:// form.
 */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !((k === 'id' || k === '$schema') && typeof v === 'string'))
      .map(([k, v]) => [k, withoutDraft4Ids(v)]),
  );
}

function validate(doc: unknown): string[] {
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
  const check = ajv.compile(withoutDraft4Ids(schema) as object);
  return check(doc) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('compose.yaml (validated offline, not against a Docker engine)', function () {
  this.timeout(30_000);
  const compose = interpolated(exampleEnv);

  it('is valid against the Compose Specification schema', () => {
    assert.deepEqual(validate(raw), []);
    assert.deepEqual(validate(compose), []);
  });

  it('would be refused by the schema with a misspelt key (the check is real)', () => {
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.auth!.depends = broken.services.auth!.depends_on;
    assert.notDeepEqual(validate(broken), []);
  });

  it('refuses to start without each secret the example file lists', () => {
    for (const name of [
      'MYSQL_ROOT_PASSWORD',
      'MYSQL_PASSWORD',
      'SERVICE_TOKEN',
      'SESSION_KEYS',
      'PASSWORD_PEPPER',
      'WEBHOOK_SECRET_KEY',
    ]) {
      const { [name]: _dropped, ...rest } = exampleEnv;
      assert.throws(() => interpolated(rest), new RegExp(`${name} is required: set ${name} in \\.env`), name);
    }
  });

  it('commits no secret: every secret value is a placeholder of compose.env.example, and .env and the key are git-ignored', () => {
    for (const [name, value] of Object.entries(exampleEnv)) assert.match(value, /^change-me/, name);
    assert.doesNotMatch(text, /PASSWORD: (?!\$\{)|TOKEN: (?!\$\{)|KEYS?: (?!\$\{)|PEPPER: (?!\$\{)/, 'a literal secret in compose.yaml');
    const ignored = readFileSync(join(repoRoot, '.gitignore'), 'utf8').split('\n');
    assert.ok(ignored.includes('.env') && ignored.includes('/secrets/'));
    assert.match(compose.secrets.jwt_private_key!.file, /^\.\/secrets\//);
  });

  for (const service of COMPOSE_SERVICES) {
    it(`the ${service} service's config loads from exactly the environment compose gives it, and its migration's too`, () => {
      assertConfigLoadsFrom(service, compose.services[service]!.environment!, service);
      assertConfigLoadsFrom('migration', compose.services[`${service}-migrate`]!.environment!, `${service}-migrate`);
    });

    it(`the ${service} service starts only after its migration completed, from the image that migration ran`, () => {
      const svc = compose.services[service]!;
      const migrate = compose.services[`${service}-migrate`]!;
      assert.deepEqual(svc.depends_on?.[`${service}-migrate`], { condition: 'service_completed_successfully' });
      assert.deepEqual(migrate.depends_on?.mysql, { condition: 'service_healthy' });
      assert.deepEqual(migrate.build, { context: '.', target: service });
      assert.equal(svc.image, migrate.image);
      assert.deepEqual(migrate.command, ['node', `services/${service}/dist/migrate.js`]);
      assert.equal(svc.read_only, true);
      assert.deepEqual(svc.cap_drop, ['ALL']);
    });
  }

  it('runs MySQL 8 with a healthcheck and its data on a named volume', () => {
    const mysql = compose.services.mysql!;
    assert.match(mysql.image ?? '', /^mysql:8\.\d+\.\d+$/);
    assert.ok(mysql.healthcheck?.test.join(' ').includes('mysqladmin ping'));
    assert.ok(Object.keys(compose.volumes).includes('mysql-data'));
  });

  it('wires the services to each other by their compose names, and to MySQL with the MySQL password', () => {
    const env = (s: string) => compose.services[s]!.environment!;
    assert.equal(env('auth').EMAIL_SERVICE_URL, 'http://email:8080');
    assert.equal(env('auth').MERCHANTS_SERVICE_URL, 'http://merchants:8080');
    assert.equal(env('merchants').JWKS_URL, 'http://auth:8080/auth/.well-known/jwks.json');
    assert.equal(env('merchants').AUTH_INTERNAL_URL, 'http://auth:8080');
    assert.equal(env('console').AUTH_API_URL, 'http://auth:8080');
    assert.equal(env('console').MERCHANTS_API_URL, 'http://merchants:8080');
    for (const s of COMPOSE_SERVICES)
      assert.equal(env(s).DATABASE_URL, `mysql://merchant_platform:${exampleEnv.MYSQL_PASSWORD}@mysql:3306/merchant_platform`);
    for (const s of TOKEN_CALLERS) assert.equal(env(s).SERVICE_TOKEN, exampleEnv.SERVICE_TOKEN);
    assert.equal(env('console').SERVICE_TOKEN, undefined, 'the console holds no service credential');
    assert.equal(env('console').SESSION_KEYS, exampleEnv.SESSION_KEYS);
    assert.deepEqual(compose.services.auth!.depends_on?.email, { condition: 'service_healthy' });
    assert.deepEqual(compose.services.merchants!.depends_on?.auth, { condition: 'service_healthy' });
    for (const api of ['auth', 'merchants'])
      assert.deepEqual(compose.services.console!.depends_on?.[api], { condition: 'service_healthy' }, `the console waits for ${api}`);
  });

  it('gives auth its signing key as a compose secret file, sends mail to the log and publishes only auth, merchants and the console', () => {
    const auth = compose.services.auth!;
    assert.ok(auth.secrets?.includes('jwt_private_key'));
    assert.equal(auth.environment!.JWT_PRIVATE_KEY_FILE, '/run/secrets/jwt_private_key');
    assert.equal(compose.services.email!.environment!.EMAIL_TRANSPORT, 'log');
    const published = Object.entries(compose.services)
      .filter(([, s]) => s.ports?.length)
      .map(([name]) => name);
    assert.deepEqual(published.sort(), ['auth', 'console', 'merchants']);
    assert.deepEqual(compose.services.console!.ports, ['8080:8080']);
    for (const s of COMPOSE_SERVICES)
      assert.equal(compose.services[s]!.environment!.TRUST_PROXY ?? 'false', 'false', 'no proxy appends X-Forwarded-For here');
  });
});
