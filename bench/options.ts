import { parseArgs } from 'node:util';

/** How long and how hard each scenario runs, and what the platform is started with. */
export interface BenchOptions {
  quick: boolean;
  /** Seconds of load before measuring (results discarded, errors still counted). */
  warmupSeconds: number;
  /** Seconds measured per scenario. */
  durationSeconds: number;
  /** Connections for reads, writes and the mix (CPU-bound on the server, cheap per request). */
  connections: number;
  /** Connections for the bcrypt-bound scenarios: enough to keep every hashing thread busy. */
  hashConnections: number;
  /** Requests/s of `/users/me` sent while the sign-in storm runs (open loop, so p99 is honest). */
  stormReadRate: number;
  /** Users written straight into the database before the run. */
  seedUsers: number;
  /** Users that sign in through the real /auth/token to get the tokens the load uses. */
  signedInUsers: number;
  bcryptCost: number;
  logLevel: string;
  /** Start the services with `--conditions=source --import=tsx` instead of from dist/. */
  fromSource: boolean;
  /** Start tsc's dist/main.js instead of the images' bundle of it (service-entry.ts). */
  unbundled: boolean;
  /** Start the services with Node's `--cpu-prof`; profiles land in bench/results/profiles/. */
  cpuProf: boolean;
  /** Run only the scenarios whose id contains one of these strings (baselines they need still run). */
  only: string[];
  /** Run the services with the machine's memory instead of their pods' limits (memory-limit.ts). */
  unconstrained: boolean;
}

const HELP = `npm run bench -- [options]

  --quick              every scenario for a few seconds (CI: keeps the harness from rotting)
  --duration SEC       measured seconds per scenario (default 15; quick 3)
  --warmup SEC         warm-up seconds per scenario (default 3; quick 1)
  --connections N      connections for reads, writes and the mix (default 32)
  --hash-connections N connections for sign-in and registration (default 8)
  --storm-read-rate N  /users/me requests/s during the sign-in storm (default 200)
  --users N            users seeded into the database (default 10000; quick 1000)
  --bcrypt-cost N      BCRYPT_COST of the platform and the hashing limit (default: $BCRYPT_COST or 12)
  --log-level LEVEL    LOG_LEVEL of the services (default info, as in production)
  --from-source        run the services from src/ through tsx instead of dist/
  --unbundled          run tsc's dist/main.js, not the bundle the images run (profiles by package)
  --cpu-prof           write a V8 CPU profile of each service to bench/results/profiles/
  --only a,b           run only scenarios whose id contains one of these
  --unconstrained      run the services with the machine's memory, not under their pods' limits
  --help

DATABASE_URL=mysql://... runs on MariaDB/MySQL (a fresh database per run, dropped after);
otherwise on SQLite in a temp folder. UV_THREADPOOL_SIZE is passed to the services and to the
hashing limit alike.
`;

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      'hash-connections': { type: 'string' },
      'storm-read-rate': { type: 'string' },
      users: { type: 'string' },
      'bcrypt-cost': { type: 'string' },
      'log-level': { type: 'string' },
      'from-source': { type: 'boolean', default: false },
      unbundled: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      only: { type: 'string' },
      unconstrained: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  const connections = positive('connections', values.connections, 32);
  return {
    quick,
    warmupSeconds: positive('warmup', values.warmup, quick ? 1 : 3),
    durationSeconds: positive('duration', values.duration, quick ? 3 : 15),
    connections,
    hashConnections: positive('hash-connections', values['hash-connections'], 8),
    stormReadRate: positive('storm-read-rate', values['storm-read-rate'], 200),
    seedUsers: positive('users', values.users, quick ? 1000 : 10_000),
    signedInUsers: connections,
    bcryptCost: positive('bcrypt-cost', values['bcrypt-cost'] ?? process.env.BCRYPT_COST, 12),
    logLevel: values['log-level'] ?? 'info',
    fromSource: values['from-source'] ?? false,
    unbundled: values.unbundled ?? false,
    cpuProf: values['cpu-prof'] ?? false,
    only: (values.only ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    unconstrained: values.unconstrained ?? false,
  };
}

export const helpText = HELP;

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got ${raw}`);
  return value;
}
