import { assertError } from '@merchant-platform/common/testing/http-server';
import assert from 'node:assert/strict';
import { startAuth, STRONG_PASSWORD, tally, type AuthHarness } from './support.js';

/** Every check that counts wrong tries must count each of a burst, not let it pass a stale count. */
describe('attempt limits under concurrent requests', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth({ RATE_LIMIT_TOKEN_FAILURES_PER_ACCOUNT: 4 });
  });
  after(() => auth.close());

  it('PUT /auth/password evaluates exactly the per-user limit of 20 concurrent wrong current passwords', async () => {
    const { access } = await auth.verifiedUser('changer@example.com');
    const change = (current: string) =>
      auth.call('PUT', '/auth/password', {
        token: access,
        json: { current_password: current, password: 'Battery-Staple2?', confirm_password: 'Battery-Staple2?' },
      });
    const answers = await Promise.all(Array.from({ length: 20 }, () => change('Wrong-Horse1!')));
    assert.deepEqual(tally(answers.map((a) => a.status)), { 401: 4, 429: 16 });
    assert.ok(Number(answers.find((a) => a.status === 429)!.headers.get('retry-after')) > 0);
    assertError(await change(STRONG_PASSWORD), 429, 'rate_limited', 'the right one waits too');
  });

  it('email confirmation evaluates exactly 5 of 20 concurrent wrong codes, then the code is dead', async () => {
    await auth.register('confirmer@example.com');
    const { body } = await auth.signIn('confirmer@example.com');
    const code = auth.inbox.lastCode('confirmer@example.com', 'verify_email');
    const wrong = code === '000000' ? '111111' : '000000';
    const confirm = (guess: string) =>
      auth.call('POST', '/auth/email/verification/confirm', { token: body.access_token, json: { code: guess } });
    const answers = await Promise.all(Array.from({ length: 20 }, () => confirm(wrong)));
    assert.deepEqual(tally(answers.map((a) => a.status)), { 422: 5, 429: 15 });
    assertError(await confirm(code), 429, 'rate_limited');
  });

  it('password reset evaluates exactly 5 of 20 concurrent wrong codes, then the code is dead', async () => {
    await auth.register('resetter@example.com');
    await auth.call('POST', '/auth/password/forgot', { json: { email: 'resetter@example.com' } });
    const code = await auth.inbox.waitForCode('resetter@example.com', 'password_reset');
    const wrong = code === '000000' ? '111111' : '000000';
    const reset = (guess: string) =>
      auth.call('POST', '/auth/password/reset', {
        json: { email: 'resetter@example.com', code: guess, password: 'Battery-Staple2?', confirm_password: 'Battery-Staple2?' },
      });
    const answers = await Promise.all(Array.from({ length: 20 }, () => reset(wrong)));
    assert.deepEqual(tally(answers.map((a) => a.status)), { 422: 5, 429: 15 });
    assertError(await reset(code), 429, 'rate_limited');
  });
});
