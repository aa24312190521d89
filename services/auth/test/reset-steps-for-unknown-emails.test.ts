import assert from 'node:assert/strict';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { startAuth, type AuthHarness } from './support.js';

/** Each reset step must answer the same whether or not the email has an account. */
describe('password reset steps for an unknown email', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth();
  });
  after(() => auth.close());

  const reset = (email: string, code: string) =>
    auth.call('POST', '/auth/password/reset', {
      json: { email, code, password: 'Battery-Staple2?', confirm_password: 'Battery-Staple2?' },
    });

  /** forgot, then six wrong codes in turn: the statuses and error codes of the six answers. */
  async function sixWrongCodesAfterForgot(email: string, hasAccount: boolean): Promise<string[]> {
    const forgot = await auth.call('POST', '/auth/password/forgot', { json: { email } });
    assert.equal(forgot.status, 202);
    // forgot issues its code after answering: wait until it is stored (mailed or not).
    await eventually(async () => {
      const [rows] = await auth.db.sequelize.query(
        "SELECT COUNT(*) AS n FROM one_time_codes WHERE purpose = 'password_reset' AND attempts = 0",
      );
      return Number((rows as { n: number }[])[0]!.n) > 0 ? true : undefined;
    }, `the reset code for ${email}`);
    const mailed = hasAccount ? await auth.inbox.waitForCode(email, 'password_reset') : undefined;
    const wrong = mailed === '000000' ? '111111' : '000000';
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const answer = await reset(email, wrong);
      answers.push(`${answer.status} ${answer.body.error.code}`);
    }
    return answers;
  }

  it('counts wrong codes for an unknown email as for a known one: five 422 invalid_code, then 429', async () => {
    await auth.register('known@example.com');
    const known = await sixWrongCodesAfterForgot('known@example.com', true);
    await auth.db.sequelize.query('DELETE FROM one_time_codes');
    const unknown = await sixWrongCodesAfterForgot('unknown@example.com', false);
    const expected = [...Array<string>(5).fill('422 invalid_code'), '429 rate_limited'];
    assert.deepEqual(unknown, expected);
    assert.deepEqual(known, expected);
  });

  it('mails nothing for the unknown email', () => {
    assert.deepEqual(
      auth.inbox.sent.filter((m) => m.to === 'unknown@example.com'),
      [],
    );
  });
});
