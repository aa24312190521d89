import { EXIT_CODES } from '@merchant-platform/common/exit-codes';
import { OperatorError } from '../kube/cluster.js';
import type { BenchResults } from './bench-results.js';
import type prices from './prices.json';

export type PriceTable = typeof prices;

export interface Traffic {
  users: number;
  requestsPerUserPerDay: number;
  peakFactor: number;
  /** The share of requests that are password sign-ins (bcrypt-bound). */
  signInShare: number;
}

/** One service's pod as values.yaml sizes it. */
export interface PodSizing {
  cpuRequest: number;
  cpuLimit: number;
  memoryRequest: string;
  memoryLimit: string;
  targetCpuPercent: number;
}

/**
 * The bench's mix without sign-ins, per 1000 requests (bench/README.md): what a merchant does
 * between sign-ins. Each endpoint is served by one service and costs what its scenario measured.
 */
const MIX = [
  { scenario: 'users-me.merchants', service: 'merchants', perMille: 750 },
  { scenario: 'auth-me.all-in-one', service: 'auth', perMille: 150 },
  { scenario: 'put-merchants-me.merchants', service: 'merchants', perMille: 79 },
  { scenario: 'register.all-in-one', service: 'auth', perMille: 1, alsoEmails: true },
] as const;
const SIGN_IN = { scenario: 'token.all-in-one', service: 'auth' } as const;
const EMAIL = { scenario: 'email.committed', service: 'email' } as const;
export const SERVICES = ['auth', 'merchants', 'email'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface ServicePlan {
  service: ServiceName;
  peakRequestsPerSecond: number;
  cpuMsPerRequest: number;
  coresAtPeak: number;
  coresAtAverage: number;
  podsAtTarget: number;
  minReplicas: number;
  maxReplicas: number;
  peakRssMiB: number | undefined;
  sizing: PodSizing;
}

export interface CapacityPlan {
  requestsPerDay: number;
  averageRequestsPerSecond: number;
  peakRequestsPerSecond: number;
  services: ServicePlan[];
  costs: { ours: CostLine; postSizing: CostLine; lambda: CostLine };
  nodes: number;
}

export interface CostLine {
  monthly: number;
  parts: [string, number][];
}

/** Pods stay at least two for availability (a drain or a crash never takes a service down). */
const MIN_PODS = 2;
/** maxReplicas leaves half again the peak pods for a peak above the stated factor. */
const BURST_HEADROOM = 1.5;

export function planCapacity(
  traffic: Traffic,
  bench: BenchResults,
  sizing: Record<ServiceName, PodSizing>,
  table: PriceTable,
): CapacityPlan {
  const requestsPerDay = traffic.users * traffic.requestsPerUserPerDay;
  const average = requestsPerDay / 86_400;
  const peak = average * traffic.peakFactor;
  const cpuOf = (scenario: string) => {
    const found = bench.scenarios.find((s) => s.id === scenario);
    if (!found) {
      throw new OperatorError(
        `${bench.file} has no "${scenario}" scenario: run the whole npm run bench (not --only).`,
        EXIT_CODES.inputMissing,
      );
    }
    return found;
  };
  const rest = 1 - traffic.signInShare;
  const perMilleTotal = MIX.reduce((sum, m) => sum + m.perMille, 0);
  const shares = [
    ...MIX.map((m) => ({ scenario: m.scenario, service: m.service as ServiceName, share: (m.perMille / perMilleTotal) * rest })),
    { scenario: SIGN_IN.scenario, service: SIGN_IN.service as ServiceName, share: traffic.signInShare },
    // Each registration mails one verification code through the email service.
    { scenario: EMAIL.scenario, service: EMAIL.service as ServiceName, share: (1 / perMilleTotal) * rest },
  ];
  const services = SERVICES.map((service): ServicePlan => {
    const parts = shares.filter((s) => s.service === service);
    const peakRps = parts.reduce((sum, p) => sum + p.share * peak, 0);
    const cpuMsPerSecond = parts.reduce((sum, p) => sum + p.share * peak * cpuOf(p.scenario).cpuMsPerRequest, 0);
    const size = sizing[service];
    const perPod = size.cpuRequest * (size.targetCpuPercent / 100);
    const coresAtPeak = cpuMsPerSecond / 1000;
    const coresAtAverage = coresAtPeak / traffic.peakFactor;
    const podsAtTarget = Math.max(1, Math.ceil(coresAtPeak / perPod));
    const minReplicas = Math.max(MIN_PODS, Math.ceil(coresAtAverage / perPod));
    const peakRss = Math.max(
      ...parts.map((p) => cpuOf(p.scenario).peakRssMiB[service === 'email' ? 'email' : p.scenario.split('.')[1]!] ?? 0),
    );
    return {
      service,
      peakRequestsPerSecond: peakRps,
      cpuMsPerRequest: peakRps > 0 ? cpuMsPerSecond / peakRps : 0,
      coresAtPeak,
      coresAtAverage,
      podsAtTarget,
      minReplicas,
      maxReplicas: Math.max(minReplicas, Math.ceil(Math.max(podsAtTarget, MIN_PODS) * BURST_HEADROOM)),
      peakRssMiB: peakRss > 0 ? peakRss : undefined,
      sizing: size,
    };
  });
  const podCpu = services.reduce((sum, s) => sum + Math.max(s.podsAtTarget, s.minReplicas) * s.sizing.cpuRequest, 0);
  const nodes = Math.max(MIN_PODS, Math.ceil(podCpu / (table.node.allocatableCpu - table.systemCpuPerNode)));
  const requestsPerMonth = requestsPerDay * (table.hoursPerMonth / 24);
  return {
    requestsPerDay,
    averageRequestsPerSecond: average,
    peakRequestsPerSecond: peak,
    services,
    nodes,
    costs: {
      ours: clusterCost(nodes, requestsPerMonth, table),
      postSizing: clusterCost(table.post.microservices.nodes, requestsPerMonth, table),
      lambda: lambdaCost(requestsPerMonth, table),
    },
  };
}

function dataTransfer(requestsPerMonth: number, table: PriceTable): [string, number] {
  const gb = (requestsPerMonth * table.responseKB) / 1_000_000;
  return [`data transfer out (${Math.round(gb)} GB at ${table.responseKB} KB a response)`, gb * table.dataTransferPerGB];
}

function clusterCost(nodes: number, requestsPerMonth: number, table: PriceTable): CostLine {
  const h = table.hoursPerMonth;
  const parts: [string, number][] = [
    [`${nodes} × ${table.node.type} nodes`, nodes * table.node.perHour * h],
    ['EKS control plane', table.eksControlPlanePerHour * h],
    ['load balancer', (table.loadBalancer.perHour + table.loadBalancer.perLcuHour * table.loadBalancer.lcuAtPeak) * h],
    [`database (${table.database.type})`, table.database.perHour * h + table.database.storagePerMonth],
    dataTransfer(requestsPerMonth, table),
  ];
  return { monthly: sum(parts), parts };
}

function lambdaCost(requestsPerMonth: number, table: PriceTable): CostLine {
  const l = table.lambda;
  const invocations = requestsPerMonth * l.functionsPerRequest;
  const parts: [string, number][] = [
    [`Lambda requests (${(invocations / 1e6).toFixed(0)} M invocations)`, (invocations / 1e6) * l.perMillionRequests],
    [
      `Lambda compute (${l.durationMs} ms × ${l.memoryGB * 1024} MB each)`,
      invocations * (l.durationMs / 1000) * l.memoryGB * l.perGBSecond,
    ],
    ['API Gateway (REST)', (requestsPerMonth / 1e6) * table.apiGatewayRestPerMillion],
    [`database (${table.database.type})`, table.database.perHour * table.hoursPerMonth + table.database.storagePerMonth],
    dataTransfer(requestsPerMonth, table),
  ];
  return { monthly: sum(parts), parts };
}

const sum = (parts: [string, number][]) => parts.reduce((total, [, value]) => total + value, 0);
