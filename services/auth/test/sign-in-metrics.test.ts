import assert from 'node:assert/strict';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { scrape } from '@merchant-platform/common/testing/prometheus-text';
import { startAuth, STRONG_PASSWORD, tally, type AuthHarness } from './support.js';

const WRONG = 'Wrong-Horse1!';

describe('sign-in metrics', function () {
  // Bursts of bcrypt on a busy 2-core machine.
  this.timeout(90_000);
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth({ RATE_LIMIT_TOKEN_FAILURES_PER_ACCOUNT: 10 }, { trustProxy: true });
  });
  after(() => auth.close());

  const signInFrom = (ip: string, email: string, password: string) =>
    auth.call('POST', '/auth/token', { json: { email, password }, headers: { 'x-forwarded-for': ip } });
  const attempts = (outcome: string) => ['auth_sign_in_attempts_total', { method: 'password', outcome }] as const;

  it('counts each of 30 concurrent wrong guesses once by outcome, and each refusal under the limit that refused it', async () => {
    await auth.register('counted@example.com');
    const before = await scrape(auth.url);
    const answers = await Promise.all(Array.from({ length: 30 }, () => signInFrom('198.51.100.20', 'counted@example.com', WRONG)));
    assert.deepEqual(tally(answers.map((a) => a.status)), { 401: 10, 429: 20 });
    assert.equal((await signInFrom('198.51.100.21', 'counted@example.com', STRONG_PASSWORD)).status, 200);

    const after = await scrape(auth.url);
    const grew = (name: string, labels: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    assert.equal(grew(...attempts('invalid_credentials')), 10);
    assert.equal(grew(...attempts('rate_limited')), 20);
    assert.equal(grew(...attempts('success')), 1);
    assert.equal(grew('rate_limit_rejections_total', { limit: 'token-account' }), 20);
    assert.equal(grew('rate_limit_rejections_total', { limit: 'token-ip' }), 0);
  });

  it('shows sign-ins waiting for a bcrypt thread during a burst, and none once it is over', async () => {
    const { value } = await scrape(auth.url);
    const threads = value('auth_bcrypt_threads');
    assert.ok(threads >= 1, `${threads} hashing threads`);
    const burst = Promise.all(Array.from({ length: 12 }, (_, i) => signInFrom(`192.0.2.${i}`, `burst${i}@example.com`, WRONG)));
    const seen = await eventually(
      async () => {
        const now = await scrape(auth.url);
        return now.value('auth_bcrypt_queue_waiting') > 0 ? now : undefined;
      },
      'sign-ins waiting for bcrypt',
      { timeoutMs: 10_000, intervalMs: 5 },
    );
    assert.equal(seen.value('auth_bcrypt_threads_busy'), threads);
    await burst;
    const rest = await scrape(auth.url);
    assert.deepEqual([rest.value('auth_bcrypt_queue_waiting'), rest.value('auth_bcrypt_threads_busy')], [0, 0]);
  });
});
