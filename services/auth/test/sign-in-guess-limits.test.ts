import { assertError } from '@merchant-platform/common/testing/http-server';
import assert from 'node:assert/strict';
import { startAuth, STRONG_PASSWORD, tally, type AuthHarness } from './support.js';

const WRONG = 'Wrong-Horse1!';

describe('sign-in guess limits', () => {
  describe('per email and client', () => {
    let auth: AuthHarness;
    before(async () => {
      auth = await startAuth({ RATE_LIMIT_TOKEN_FAILURES_PER_ACCOUNT: 10 }, { trustProxy: true });
    });
    after(() => auth.close());

    const signInFrom = (ip: string, email: string, password: string) =>
      auth.call('POST', '/auth/token', { json: { email, password }, headers: { 'x-forwarded-for': ip } });

    it('evaluates exactly the limit of 50 concurrent wrong guesses: 10 get 401, the other 40 get 429 with Retry-After', async () => {
      await auth.register('burst@example.com');
      const answers = await Promise.all(Array.from({ length: 50 }, () => signInFrom('198.51.100.7', 'burst@example.com', WRONG)));
      assert.deepEqual(tally(answers.map((a) => a.status)), { 401: 10, 429: 40 });
      for (const limited of answers.filter((a) => a.status === 429)) {
        assert.equal(limited.body.error.code, 'rate_limited');
        assert.ok(Number(limited.headers.get('retry-after')) > 0);
      }
      assertError(
        await signInFrom('198.51.100.7', 'burst@example.com', STRONG_PASSWORD),
        429,
        'rate_limited',
        'even the right password waits',
      );
      assert.equal(
        (await signInFrom('198.51.100.8', 'burst@example.com', STRONG_PASSWORD)).status,
        200,
        'the owner elsewhere still signs in',
      );
    });

    it('counts an unknown email the same way as a known one', async () => {
      const answers = await Promise.all(Array.from({ length: 30 }, () => signInFrom('198.51.100.9', 'nobody@example.com', WRONG)));
      assert.deepEqual(tally(answers.map((a) => a.status)), { 401: 10, 429: 20 });
    });

    it('keys IPv6 clients by their /64: addresses of one /64 share a limit, another /64 has its own', async () => {
      await auth.register('six@example.com');
      for (const host of [':1', ':2', 'abcd:1234:5678:9abc', ':4', ':5', ':6', ':7', ':8', ':9', ':a']) {
        assertError(await signInFrom(`2001:db8:1:2:${host}`, 'six@example.com', WRONG), 401, 'invalid_credentials');
      }
      assertError(await signInFrom('2001:0db8:0001:0002:ffff:0:0:1', 'six@example.com', STRONG_PASSWORD), 429, 'rate_limited');
      assert.equal((await signInFrom('2001:db8:1:3::1', 'six@example.com', STRONG_PASSWORD)).status, 200);
    });
  });

  describe('per email across every client', () => {
    let auth: AuthHarness;
    before(async () => {
      auth = await startAuth({ RATE_LIMIT_TOKEN_FAILURES_PER_ACCOUNT: 5, RATE_LIMIT_TOKEN_FAILURES_PER_EMAIL: 12 }, { trustProxy: true });
    });
    after(() => auth.close());

    const signInFrom = (ip: string, email: string, password: string) =>
      auth.call('POST', '/auth/token', { json: { email, password }, headers: { 'x-forwarded-for': ip } });
    const lockNotices = (to: string) => auth.inbox.sent.filter((m) => m.to === to && m.template === 'account_locked');

    it('stops guesses spread over many addresses at the per-email limit, and then lets no burst through, right password included', async () => {
      await auth.register('target@example.com');
      const spread = await Promise.all(
        Array.from({ length: 50 }, (_, i) => signInFrom(`203.0.113.${i % 10}`, 'target@example.com', WRONG)),
      );
      assert.deepEqual(tally(spread.map((a) => a.status)), { 401: 12, 429: 38 });

      const burst = await Promise.all(
        Array.from({ length: 10 }, (_, i) => signInFrom('192.0.2.44', 'target@example.com', i === 5 ? STRONG_PASSWORD : WRONG)),
      );
      assert.deepEqual(tally(burst.map((a) => a.status)), { 429: 10 });
    });

    it('e-mails the owner once per lock window with the account_locked template and no data', async () => {
      // The lock of the previous test: every refusal since then has been answered.
      assert.deepEqual(
        lockNotices('target@example.com').map(({ template, data }) => ({ template, data })),
        [{ template: 'account_locked', data: {} }],
      );
      await Promise.all(Array.from({ length: 5 }, () => signInFrom('192.0.2.45', 'target@example.com', WRONG)));
      assert.equal(lockNotices('target@example.com').length, 1);
    });

    it('e-mails nobody when the locked email has no account', async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => signInFrom(`203.0.113.${100 + (i % 4)}`, 'ghost@example.com', WRONG)),
      );
      assert.deepEqual(tally(answers.map((a) => a.status)), { 401: 12, 429: 8 });
      assert.deepEqual(lockNotices('ghost@example.com'), []);
    });
  });
});
