import type autocannon from 'autocannon';
import { SEED_PASSWORD, seededEmail, type MerchantOwner, type SignedInUser } from './seed.js';

/**
 * The requests each scenario sends. Every one of them must legitimately answer 2xx: distinct
 * emails for registrations, seeded (verified) users for sign-ins and profile writes, tokens
 * from the real /auth/token. Each connection acts as one user, as a real client would.
 */

const JSON_HEADERS = { 'content-type': 'application/json' };
const bearer = (user: SignedInUser) => ({ authorization: `Bearer ${user.accessToken}` });

/** Gives each new connection the next signed-in user, round robin. */
export function perConnection<User extends SignedInUser>(
  users: User[],
  requestsFor: (user: User) => autocannon.Request[],
): (client: autocannon.Client) => void {
  let next = 0;
  return (client) => client.setRequests(requestsFor(users[next++ % users.length]!));
}

export const getAs =
  (path: string) =>
  (user: SignedInUser): autocannon.Request[] => [{ method: 'GET', path, headers: bearer(user) }];

/** The owner's own merchant profile, read with their access token or with their merchant's API key. */
export const getProfileAs =
  (credential: 'jwt' | 'api-key') =>
  (owner: MerchantOwner): autocannon.Request[] => [
    {
      method: 'GET',
      path: `/merchants/${owner.merchantId}/profile`,
      headers: { authorization: `Bearer ${credential === 'jwt' ? owner.accessToken : owner.apiKey}` },
    },
  ];

/** A full profile whose business name changes every time, so each PUT really writes a row. */
export function putMerchantProfileAs(user: SignedInUser): autocannon.Request[] {
  let version = 0;
  return [
    {
      method: 'PUT',
      path: '/merchants/me',
      setupRequest: (request) => ({ ...request, headers: { ...JSON_HEADERS, ...bearer(user) }, body: profileBody(++version) }),
    },
  ];
}

function profileBody(version: number): string {
  return JSON.stringify({
    business_name: `Bench Shop v${version}`,
    business_type: 'retail',
    phone: '+14155550123',
    website: 'https://shop.example.com',
    address: { line1: '1 Market Street', city: 'San Francisco', region: 'CA', postal_code: '94105', country: 'US' },
    currency: 'USD',
  });
}

/** Sign-ins (JSON password grant) cycling through every seeded user. */
export function signInRequests(seededUsers: number): autocannon.Request[] {
  return [{ method: 'POST', path: '/auth/token', setupRequest: (request) => ({ ...request, ...signInRequest(seededUsers) }) }];
}

let signIns = 0;
function signInRequest(seededUsers: number): autocannon.Request {
  const email = seededEmail(signIns++ % seededUsers);
  return { method: 'POST', path: '/auth/token', headers: JSON_HEADERS, body: JSON.stringify({ email, password: SEED_PASSWORD }) };
}

/** Registrations, each with an email never used before (the run id keeps runs apart too). */
export function registerRequests(runId: string): autocannon.Request[] {
  return [{ method: 'POST', path: '/auth/register', setupRequest: (request) => ({ ...request, ...registerRequest(runId) }) }];
}

let registrations = 0;
function registerRequest(runId: string): autocannon.Request {
  const n = registrations++;
  return {
    method: 'POST',
    path: '/auth/register',
    headers: JSON_HEADERS,
    body: JSON.stringify({
      email: `bench-new-${runId}-${n}@example.com`,
      password: SEED_PASSWORD,
      confirm_password: SEED_PASSWORD,
      first_name: 'New',
      last_name: `Merchant ${n}`,
    }),
  };
}

/**
 * The post's example: a million merchants making ten requests a day. Mostly reads of their own
 * data, some profile edits, a few password sign-ins (refresh tokens cover the rest: one
 * sign-in per merchant every five days), rare registrations (a thousandth of the traffic).
 */
export const MIXED_WORKLOAD = [
  { name: 'GET /users/me', share: 0.75 },
  { name: 'GET /auth/me', share: 0.15 },
  { name: 'PUT /merchants/me', share: 0.079 },
  { name: 'POST /auth/token', share: 0.02 },
  { name: 'POST /auth/register', share: 0.001 },
] as const;

export type MixedOperation = (typeof MIXED_WORKLOAD)[number]['name'];

/** One dynamic request per connection that draws the next operation from MIXED_WORKLOAD. */
export function mixedRequestsAs(seededUsers: number, runId: string, random: () => number) {
  return (user: SignedInUser): autocannon.Request[] => {
    let version = 0;
    const build: Record<MixedOperation, () => autocannon.Request> = {
      'GET /users/me': () => ({ method: 'GET', path: '/users/me', headers: bearer(user), body: undefined }),
      'GET /auth/me': () => ({ method: 'GET', path: '/auth/me', headers: bearer(user), body: undefined }),
      'PUT /merchants/me': () => ({
        method: 'PUT',
        path: '/merchants/me',
        headers: { ...JSON_HEADERS, ...bearer(user) },
        body: profileBody(++version),
      }),
      'POST /auth/token': () => signInRequest(seededUsers),
      'POST /auth/register': () => registerRequest(runId),
    };
    return [{ method: 'GET', path: '/users/me', setupRequest: (request) => ({ ...request, ...build[draw(random)]() }) }];
  };
}

function draw(random: () => number): MixedOperation {
  let r = random();
  for (const op of MIXED_WORKLOAD) {
    if (r < op.share) return op.name;
    r -= op.share;
  }
  return MIXED_WORKLOAD[0].name;
}

/** A small seeded generator, so every run draws the same sequence of operations. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
