import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PASSWORD, verifiedAccount } from '@merchant-platform/common/testing/platform-accounts';
import { request } from '@merchant-platform/common/testing/http-server';
import { freePort } from '@merchant-platform/common/testing/ports';
import { spawnNode, spawnReadyService, type SpawnedService } from '@merchant-platform/common/testing/processes';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { decideNextPhase, generateSigningKey, SECRET_KEYS, withChanges, type SecretKeys } from '../src/rotation/rotation-phases.js';

type Running = SpawnedService & { base: string };

const pem = (secret: SecretKeys, key: string) => (secret.data[key] ? Buffer.from(secret.data[key], 'base64').toString('utf8') : undefined);

/**
 * Applies one phase to the Secret as the API server would apply the CLI's merge patch. `now` is
 * a simulated clock an hour past the last phase: what the waits protect is shown by the
 * processes below (old and new together), not by sleeping through them.
 */
function applyPhase(secret: SecretKeys, now: Date): SecretKeys {
  const decision = decideNextPhase(secret, now, { jwksCacheSeconds: 0, accessTokenTtlSeconds: 0 }, generateSigningKey);
  assert.ok(decision.ready);
  return { data: withChanges(secret.data, decision.step.data), annotations: withChanges(secret.annotations, decision.step.annotations) };
}

/** auth's environment from the Secret, as the chart maps its keys (secretKeyRef, optional). */
function authEnvOf(secret: SecretKeys): Record<string, string> {
  const env: Record<string, string> = { JWT_PRIVATE_KEY: pem(secret, SECRET_KEYS.signing)! };
  const next = pem(secret, SECRET_KEYS.nextPublic);
  const retired = pem(secret, SECRET_KEYS.retired);
  if (next) env.JWT_NEXT_PUBLIC_KEY = next;
  if (retired) env.JWT_RETIRED_PUBLIC_KEYS = retired;
  return env;
}

const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;

describe('a signing-key rotation rejects no token (real auth and merchants processes, restarted with each phase)', function () {
  this.timeout(900_000);
  const serviceToken = randomBytes(24).toString('base64url');
  const pepper = randomBytes(32).toString('base64url');
  let testDb: TestDatabase;
  let authPort: number;
  let merchantsPort: number;
  let auth: Running | undefined;
  let merchants: Running | undefined;
  /** Every token minted so far, with the phase it was minted in. */
  const tokens: { phase: number; token: string }[] = [];

  before(async () => {
    testDb = await createTestDatabase();
    for (const service of ['auth', 'merchants']) {
      const run = spawnNode([`services/${service}/src/migrate.ts`], { DATABASE_URL: testDb.url, LOG_LEVEL: 'warn' });
      assert.equal(await run.exited, 0, run.output());
    }
    authPort = await freePort();
    merchantsPort = await freePort();
  });
  after(async () => {
    for (const service of [merchants, auth]) {
      service?.child.kill('SIGTERM');
      await service?.exited;
    }
    await testDb?.drop();
  });

  async function restartAuth(secret: SecretKeys) {
    auth?.child.kill('SIGTERM');
    await auth?.exited;
    auth = await spawnReadyService(
      ['services/auth/src/main.ts'],
      {
        DATABASE_URL: testDb.url,
        BCRYPT_COST: '10',
        SERVICE_TOKEN: serviceToken,
        PASSWORD_PEPPER: pepper,
        LOG_LEVEL: 'info',
        ...authEnvOf(secret),
      },
      authPort,
      { timeoutMs: 150_000 },
    );
  }

  async function restartMerchants() {
    merchants?.child.kill('SIGTERM');
    await merchants?.exited;
    merchants = await spawnReadyService(
      ['services/merchants/src/main.ts'],
      {
        DATABASE_URL: testDb.url,
        JWKS_URL: `http://127.0.0.1:${authPort}/auth/.well-known/jwks.json`,
        AUTH_INTERNAL_URL: `http://127.0.0.1:${authPort}`,
        SERVICE_TOKEN: serviceToken,
        LOG_LEVEL: 'warn',
      },
      merchantsPort,
      { timeoutMs: 150_000 },
    );
  }

  async function mint(phase: number): Promise<string> {
    const signedIn = await request(auth!.base, 'POST', '/auth/token', { json: { email: 'rotating@example.com', password: PASSWORD } });
    assert.equal(signedIn.status, 200, signedIn.text);
    tokens.push({ phase, token: signedIn.body.access_token });
    return signedIn.body.access_token;
  }

  /** Every live token is accepted by merchants (through its JWKS cache) and by auth itself. */
  async function assertAllAccepted(when: string, liveFrom = 0) {
    for (const { phase, token } of tokens.filter((t) => t.phase >= liveFrom)) {
      const byMerchants = await request(merchants!.base, 'GET', '/users/me', { token });
      assert.equal(byMerchants.status, 200, `${when}: merchants rejected a token from phase ${phase}: ${byMerchants.text}`);
      const byAuth = await request(auth!.base, 'GET', '/auth/me', { token });
      assert.equal(byAuth.status, 200, `${when}: auth rejected a token from phase ${phase}: ${byAuth.text}`);
    }
  }

  it('accepts tokens minted before, during and after the rotation at every step, merchants old and new alike', async () => {
    const initial = generateSigningKey();
    let secret: SecretKeys = { data: { [SECRET_KEYS.signing]: Buffer.from(initial.privatePem).toString('base64') }, annotations: {} };
    await restartAuth(secret);
    await restartMerchants();
    await verifiedAccount(auth!.base, auth!.output, 'rotating@example.com');
    const oldKid = kidOf(await mint(0));
    await assertAllAccepted('before the rotation');

    for (const phase of [1, 2, 3]) {
      secret = applyPhase(secret, new Date(Date.now() + phase * 3_600_000));
      // A rolling restart: auth's new pods serve while merchants' pods of the previous phase still run.
      await restartAuth(secret);
      const liveFrom = phase === 3 ? 2 : 0; // phase 3 runs only once the tokens of the old key have expired
      await assertAllAccepted(`phase ${phase}, auth restarted, merchants not yet`, liveFrom);
      await mint(phase);
      await assertAllAccepted(`phase ${phase}, a token minted by the new auth, merchants not yet restarted`, liveFrom);
      await restartMerchants();
      await assertAllAccepted(`phase ${phase}, both restarted`, liveFrom);

      const jwks = await request<{ keys: { kid: string }[] }>(auth!.base, 'GET', '/auth/.well-known/jwks.json');
      const published = jwks.body.keys.map((k) => k.kid);
      const signing = kidOf(tokens.at(-1)!.token);
      if (phase === 1) assert.deepEqual([published.length, signing], [2, oldKid], 'phase 1: the next key is published, the old key signs');
      if (phase === 2)
        assert.deepEqual([published, signing !== oldKid], [[signing, oldKid], true], 'phase 2: the new key signs, the old stays published');
      if (phase === 3) assert.deepEqual(published, [signing], 'phase 3: only the new key is published');
    }
    // The retirement is real: a token of the old key (expired by now in production) no longer verifies.
    const stale = await request(merchants!.base, 'GET', '/users/me', { token: tokens[0]!.token });
    assert.equal(stale.status, 401);
  });
});
