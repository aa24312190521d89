import type { LoadSpec } from './load.js';
import type { BenchOptions } from './options.js';
import type { Platform } from './platform.js';
import type { RunningProcess } from './processes.js';
import {
  getAs,
  getProfileAs,
  mixedRequestsAs,
  perConnection,
  putMerchantProfileAs,
  registerRequests,
  seededRandom,
  signInRequests,
} from './requests.js';
import type { ScenarioPlan } from './runner.js';
import type { MerchantOwner, SignedInUser } from './seed.js';

export interface ScenarioContext {
  options: BenchOptions;
  platform: Platform;
  readLimit: RunningProcess;
  /** The read limit's work behind a Koa app with no middleware (framework overhead). */
  bareKoa: RunningProcess;
  users: SignedInUser[];
  /** The same users as owners, with their merchant's id and an API key of it. */
  owners: MerchantOwner[];
  runId: string;
}

/** Closed-loop GETs, each connection signed in as its own user. */
function reads(server: RunningProcess, path: string, ctx: ScenarioContext): LoadSpec {
  return {
    url: server.url,
    connections: ctx.options.connections,
    requests: [{ method: 'GET', path }],
    setupClient: perConnection(ctx.users, getAs(path)),
  };
}

/** The read and write scenarios, each next to the limit it is compared with. */
export function readWriteScenarios(ctx: ScenarioContext): ScenarioPlan[] {
  const { allInOne, merchants } = ctx.platform;
  const { readLimit, bareKoa } = ctx;
  const healthz = (server: RunningProcess): LoadSpec => ({
    url: server.url,
    connections: ctx.options.connections,
    requests: [{ method: 'GET', path: '/healthz' }],
  });
  const profileReads = (server: RunningProcess, credential: 'jwt' | 'api-key'): LoadSpec => ({
    url: server.url,
    connections: ctx.options.connections,
    requests: [{ method: 'GET', path: '/merchants/{id}/profile' }],
    setupClient: perConnection(ctx.owners, getProfileAs(credential)),
  });
  const puts = (server: RunningProcess): LoadSpec => ({
    url: server.url,
    connections: ctx.options.connections,
    requests: [{ method: 'PUT', path: '/merchants/me' }],
    setupClient: perConnection(ctx.users, putMerchantProfileAs),
  });
  return [
    {
      id: 'healthz.http-limit',
      title: 'GET /healthz, bare node:http (HTTP limit)',
      server: readLimit,
      spec: healthz(readLimit),
      defines: 'http',
    },
    { id: 'healthz.merchants', title: 'GET /healthz', server: merchants, spec: healthz(merchants), comparedWith: 'http' },
    { id: 'healthz.all-in-one', title: 'GET /healthz', server: allInOne, spec: healthz(allInOne), comparedWith: 'http' },
    {
      id: 'users-me.read-limit',
      title: 'GET /users/me, bare node:http (read limit)',
      server: readLimit,
      spec: reads(readLimit, '/users/me', ctx),
      defines: 'read:/users/me',
    },
    {
      id: 'users-me.bare-koa',
      title: 'GET /users/me, Koa with no middleware (framework overhead)',
      server: bareKoa,
      spec: reads(bareKoa, '/users/me', ctx),
      comparedWith: 'read:/users/me',
    },
    {
      id: 'users-me.merchants',
      title: 'GET /users/me',
      server: merchants,
      spec: reads(merchants, '/users/me', ctx),
      comparedWith: 'read:/users/me',
    },
    {
      id: 'users-me.all-in-one',
      title: 'GET /users/me',
      server: allInOne,
      spec: reads(allInOne, '/users/me', ctx),
      comparedWith: 'read:/users/me',
    },
    {
      id: 'auth-me.read-limit',
      title: 'GET /auth/me, bare node:http (read limit)',
      server: readLimit,
      spec: reads(readLimit, '/auth/me', ctx),
      defines: 'read:/auth/me',
    },
    {
      id: 'auth-me.all-in-one',
      title: 'GET /auth/me',
      server: allInOne,
      spec: reads(allInOne, '/auth/me', ctx),
      comparedWith: 'read:/auth/me',
    },
    // The same read, side by side: a JWT (signature, revocation list, membership) and an API key (hash lookup, per-key limit).
    {
      id: 'merchant-profile-jwt.merchants',
      title: 'GET /merchants/{id}/profile with a JWT',
      server: merchants,
      spec: profileReads(merchants, 'jwt'),
    },
    {
      id: 'merchant-profile-api-key.merchants',
      title: 'GET /merchants/{id}/profile with an API key',
      server: merchants,
      spec: profileReads(merchants, 'api-key'),
    },
    { id: 'put-merchants-me.merchants', title: 'PUT /merchants/me (a real write each time)', server: merchants, spec: puts(merchants) },
    { id: 'put-merchants-me.all-in-one', title: 'PUT /merchants/me (a real write each time)', server: allInOne, spec: puts(allInOne) },
  ];
}

/** Sign-ins and registrations: one bcrypt operation each, compared with the hashing limit. */
export function hashingScenarios(ctx: ScenarioContext): ScenarioPlan[] {
  const { allInOne } = ctx.platform;
  const connections = ctx.options.hashConnections;
  return [
    {
      id: 'token.all-in-one',
      title: 'POST /auth/token (bcrypt compare)',
      server: allInOne,
      spec: { url: allInOne.url, connections, requests: signInRequests(ctx.options.seedUsers) },
      comparedWith: 'hashing',
    },
    {
      id: 'register.all-in-one',
      title: 'POST /auth/register (bcrypt hash + 2 inserts + mail)',
      server: allInOne,
      spec: { url: allInOne.url, connections, requests: registerRequests(ctx.runId) },
      comparedWith: 'hashing',
    },
  ];
}

/** The storm: sign-ins as fast as they go, and `/users/me` at a fixed rate on the same process. */
export function stormLoads(ctx: ScenarioContext): { storm: LoadSpec; reads: LoadSpec } {
  const { allInOne } = ctx.platform;
  return {
    storm: { url: allInOne.url, connections: ctx.options.hashConnections, requests: signInRequests(ctx.options.seedUsers) },
    reads: { ...reads(allInOne, '/users/me', ctx), connections: 8, overallRate: ctx.options.stormReadRate },
  };
}

/** The post's example as one closed loop on the all-in-one process. */
export function mixedScenario(ctx: ScenarioContext): ScenarioPlan {
  const { allInOne } = ctx.platform;
  return {
    id: 'mixed.all-in-one',
    title: 'Mixed: 75% /users/me, 15% /auth/me, 7.9% PUT, 2% sign-in, 0.1% register',
    server: allInOne,
    spec: {
      url: allInOne.url,
      connections: ctx.options.connections,
      requests: [{ method: 'GET', path: '/users/me' }],
      setupClient: perConnection(ctx.users, mixedRequestsAs(ctx.options.seedUsers, ctx.runId, seededRandom(42))),
    },
    comparedWith: 'parts',
    note: 'ratio: to the same mix of the single-endpoint rates measured above (1 / sum(share / rate))',
  };
}
