import assert from 'node:assert/strict';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { startAuth, STRONG_PASSWORD, tally, type AuthHarness } from './support.js';

/** Every request that makes auth send mail is limited, so nobody can use it to flood inboxes. */
describe('mail abuse limits', () => {
  const registration = (email: string) => ({
    email,
    password: STRONG_PASSWORD,
    confirm_password: STRONG_PASSWORD,
    first_name: 'Ada',
    last_name: 'Lovelace',
  });

  describe('registration', () => {
    let auth: AuthHarness;
    before(async () => {
      auth = await startAuth(
        { RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR: 10, RATE_LIMIT_REGISTRATIONS_PER_MINUTE: 15 },
        { trustProxy: true },
      );
    });
    after(() => auth.close());

    const registerFrom = (ip: string, email: string) =>
      auth.call('POST', '/auth/register', { json: registration(email), headers: { 'x-forwarded-for': ip } });

    it('allows 10 registrations an hour from one client: of 40 at once, 30 get 429 with Retry-After and send no mail', async () => {
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => registerFrom('198.51.100.20', `signup${i}@example.com`)));
      assert.deepEqual(tally(answers.map((a) => a.status)), { 201: 10, 429: 30 });
      for (const limited of answers.filter((a) => a.status === 429)) {
        assert.equal(limited.body.error.code, 'rate_limited');
        assert.ok(Number(limited.headers.get('retry-after')) > 0);
      }
      assert.equal(auth.inbox.sent.filter((m) => m.template === 'verify_email').length, 10);
    });

    it('caps registrations platform-wide per minute, whichever clients they come from', async () => {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push((await registerFrom(`198.51.100.${30 + i}`, `wide${i}@example.com`)).status);
      assert.deepEqual(answers, [201, 201, 201, 201, 201, 429], 'the first test used 10 of the 15');
    });
  });

  describe('forgot password', () => {
    let auth: AuthHarness;
    before(async () => {
      auth = await startAuth({ RATE_LIMIT_EMAILS_PER_HOUR: 3, RATE_LIMIT_FORGOT_PER_IP_PER_HOUR: 5 }, { trustProxy: true });
    });
    after(() => auth.close());

    const forgotFrom = (ip: string, email: string) =>
      auth.call('POST', '/auth/password/forgot', { json: { email }, headers: { 'x-forwarded-for': ip } });

    it("a stranger's requests use up only their own quota: the owner, from elsewhere, still gets a code and resets", async () => {
      await auth.register('owner@example.com');
      const attacker = await Promise.all(Array.from({ length: 4 }, () => forgotFrom('203.0.113.66', 'owner@example.com')));
      assert.deepEqual(tally(attacker.map((a) => a.status)), { 202: 3, 429: 1 });

      const sent = () => auth.inbox.sent.filter((m) => m.template === 'password_reset');
      // forgot mails after answering: wait for the stranger's three before the owner asks.
      await eventually(() => (sent().length === 3 ? true : undefined), "the stranger's three reset mails");
      assert.equal((await forgotFrom('192.0.2.10', 'owner@example.com')).status, 202);
      await eventually(() => (sent().length === 4 ? true : undefined), "the owner's reset mail");
      const code = sent().at(-1)!.data.code!;
      const reset = await auth.call('POST', '/auth/password/reset', {
        json: { email: 'owner@example.com', code, password: 'Battery-Staple2?', confirm_password: 'Battery-Staple2?' },
      });
      assert.equal(reset.status, 204, reset.text);
    });

    it('limits one client over all emails, so it cannot spray reset mails', async () => {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push((await forgotFrom('203.0.113.77', `spray${i}@example.com`)).status);
      assert.deepEqual(answers, [202, 202, 202, 202, 202, 429]);
    });
  });

  it('code-carrying mails hold the code and nothing from the request', async () => {
    const auth = await startAuth();
    try {
      await auth.register('plain@example.com', { first_name: 'Click https://evil.example now' });
      await auth.call('POST', '/auth/password/forgot', { json: { email: 'plain@example.com' } });
      await auth.inbox.waitForCode('plain@example.com', 'password_reset');
      const codeMails = auth.inbox.sent.filter((m) => m.template === 'verify_email' || m.template === 'password_reset');
      assert.deepEqual(
        codeMails.map((m) => [m.template, Object.keys(m.data)]),
        [
          ['verify_email', ['code']],
          ['password_reset', ['code']],
        ],
      );
    } finally {
      await auth.close();
    }
  });
});
