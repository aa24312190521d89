import { EX_USAGE, type CliIo } from '@merchant-platform/common/cli';
import { REPOSITORY_ROOT } from '../repository.js';
import { APP_VALUES_FILE, readServiceValues } from '../chart-values.js';
import { parseCommandLine } from '../command-line.js';
import { OperatorError } from '../kube/cluster.js';
import { latestBenchResults } from './bench-results.js';
import { planCapacity, SERVICES, type CapacityPlan, type PodSizing, type ServiceName, type Traffic } from './capacity-plan.js';
import prices from './prices.json' with { type: 'json' };

export const CAPACITY_HELP = `usage: platformctl capacity --users N --requests-per-user-per-day N --peak-factor N --sign-in-share S
       (npm run capacity -- --users 1000000 --requests-per-user-per-day 10 --peak-factor 3 --sign-in-share 0.02)

Sizes the platform from the newest npm run bench results: per service the CPU a request costs,
the cores and pods at the HPA's CPU target at peak, the pods' requests and limits; the HPA
minReplicas/maxReplicas to paste into values.yaml; and a monthly cost for microservices on
c5.large nodes and for Lambda + API Gateway, from the price table in
tools/platformctl/src/capacity/prices.json (its source and date are printed).

      --users N                       users (a whole number above 0)
      --requests-per-user-per-day N   requests each user makes a day (above 0)
      --peak-factor N                 peak load over the day's average (1 or more)
      --sign-in-share S               share of requests that are password sign-ins (0 to 0.5)
      --results DIR                   where the bench wrote its results (default: bench/results)
      --values FILE                   the chart values with the pods' sizes (default: charts/merchant-platform/values.yaml)
  -h, --help                          this text
Exit status: 0, 64 bad arguments, 66 no bench results yet.`;

export async function runCapacity(io: CliIo): Promise<number> {
  const args = parseCommandLine(
    io,
    {
      users: { type: 'string' },
      'requests-per-user-per-day': { type: 'string' },
      'peak-factor': { type: 'string' },
      'sign-in-share': { type: 'string' },
      results: { type: 'string', default: `${REPOSITORY_ROOT}bench/results` },
      values: { type: 'string', default: APP_VALUES_FILE },
      help: { type: 'boolean', short: 'h' },
    },
    CAPACITY_HELP,
  );
  if (args.help) {
    io.out(CAPACITY_HELP);
    return 0;
  }
  const traffic: Traffic = {
    users: number(args.users, '--users', { min: 1, integer: true }),
    requestsPerUserPerDay: number(args['requests-per-user-per-day'], '--requests-per-user-per-day', { min: Number.MIN_VALUE }),
    peakFactor: number(args['peak-factor'], '--peak-factor', { min: 1 }),
    signInShare: number(args['sign-in-share'], '--sign-in-share', { min: 0, max: 0.5 }),
  };
  const bench = latestBenchResults(args.results);
  const plan = planCapacity(traffic, bench, podSizing(args.values), prices);
  printPlan(io, traffic, plan, bench);
  return 0;
}

function number(value: string | undefined, option: string, range: { min: number; max?: number; integer?: boolean }): number {
  const n = Number(value);
  const ok =
    value !== undefined && value.trim() !== '' && Number.isFinite(n) && n >= range.min && (range.max === undefined || n <= range.max);
  if (!ok || (range.integer && !Number.isInteger(n))) {
    const wanted =
      range.max !== undefined
        ? `between ${range.min} and ${range.max}`
        : range.min === Number.MIN_VALUE
          ? 'above 0'
          : `${range.min} or more`;
    throw new OperatorError(
      `${option} must be a ${range.integer ? 'whole number' : 'number'} ${wanted}${value === undefined ? ' (it is required)' : `, not "${value}"`}.\n\nusage: npm run capacity -- --users 1000000 --requests-per-user-per-day 10 --peak-factor 3 --sign-in-share 0.02`,
      EX_USAGE,
    );
  }
  return n;
}

/** Kubernetes CPU quantity ("250m", "1", "0.5") in cores. */
const cores = (quantity: string | number) =>
  String(quantity).endsWith('m') ? Number.parseFloat(String(quantity)) / 1000 : Number(quantity);

function podSizing(valuesFile: string): Record<ServiceName, PodSizing> {
  const services = readServiceValues(valuesFile);
  return Object.fromEntries(
    SERVICES.map((name) => {
      const svc = services[name]!;
      return [
        name,
        {
          cpuRequest: cores(svc.resources.requests.cpu!),
          cpuLimit: cores(svc.resources.limits.cpu!),
          memoryRequest: svc.resources.requests.memory!,
          memoryLimit: svc.resources.limits.memory!,
          targetCpuPercent: svc.autoscaling.targetCPUUtilizationPercentage,
        },
      ];
    }),
  ) as Record<ServiceName, PodSizing>;
}

const dollars = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;

function printPlan(io: CliIo, traffic: Traffic, plan: CapacityPlan, bench: ReturnType<typeof latestBenchResults>) {
  const f = (n: number, digits = 1) => n.toFixed(digits);
  io.out(
    `${traffic.users.toLocaleString('en-US')} users × ${traffic.requestsPerUserPerDay} requests/day = ${plan.requestsPerDay.toLocaleString('en-US')} requests/day`,
  );
  io.out(
    `  average ${f(plan.averageRequestsPerSecond)} req/s, peak (×${traffic.peakFactor}) ${f(plan.peakRequestsPerSecond)} req/s; sign-ins ${f(traffic.signInShare * 100)}% of requests`,
  );
  io.out(`Bench results: ${bench.file} (${bench.startedAt}, ${bench.database}${bench.quick ? ', quick' : ''}; ${bench.machine})`);
  io.out('');
  io.out(
    'service    req/s at peak  CPU ms/req  cores at peak  CPU request/limit  memory request/limit (bench peak RSS)  pods at HPA target',
  );
  for (const s of plan.services) {
    io.out(
      [
        s.service.padEnd(10),
        f(s.peakRequestsPerSecond).padStart(13),
        f(s.cpuMsPerRequest, 2).padStart(11),
        f(s.coresAtPeak, 2).padStart(14),
        `${s.sizing.cpuRequest}/${s.sizing.cpuLimit}`.padStart(18),
        `${s.sizing.memoryRequest}/${s.sizing.memoryLimit} (${s.peakRssMiB === undefined ? '?' : `${Math.round(s.peakRssMiB)}Mi`})`.padStart(
          38,
        ),
        `${s.podsAtTarget} at ${s.sizing.targetCpuPercent}%`.padStart(19),
      ].join(' '),
    );
  }
  io.out('');
  io.out('values.yaml (services.<name>.autoscaling):');
  for (const s of plan.services)
    io.out(`  ${s.service}:\n    autoscaling:\n      minReplicas: ${s.minReplicas}\n      maxReplicas: ${s.maxReplicas}`);
  io.out('');
  io.out('Monthly cost:');
  io.out(`  prices: ${prices.source}`);
  io.out(`  as of: ${prices.date}`);
  const line = (title: string, cost: CapacityPlan['costs']['ours'], post?: number[]) => {
    io.out(`  ${title}: ${dollars(cost.monthly)}/month${post ? `   (the post: ${dollars(post[0]!)}–${dollars(post[1]!)})` : ''}`);
    for (const [part, value] of cost.parts) io.out(`      ${part}: ${dollars(value)}`);
  };
  line(`microservices, this plan (${plan.nodes} nodes)`, plan.costs.ours);
  line(
    `microservices, the post's sizing (${prices.post.microservices.nodes} × ${prices.node.type})`,
    plan.costs.postSizing,
    prices.post.microservices.monthly,
  );
  line(`Lambda + API Gateway (${prices.lambda.functionsPerRequest} functions a request)`, plan.costs.lambda, prices.post.lambda.monthly);
}
