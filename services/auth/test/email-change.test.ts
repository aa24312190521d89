import { assertError } from '@merchant-platform/common/testing/http-server';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { startAuth, tally, type AuthHarness } from './support.js';

describe('email change: POST /auth/email/change and /confirm', function () {
  this.timeout(60_000);
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth();
  });
  after(() => auth.close());

  const ask = (token: string, newEmail: unknown) => auth.call('POST', '/auth/email/change', { token, json: { new_email: newEmail } });
  const confirm = (token: string, code: string) => auth.call('POST', '/auth/email/change/confirm', { token, json: { code } });
  const mailsTo = (to: string) => auth.inbox.sent.filter((m) => m.to === to);

  it('mails a code to the new address and a notice without it to the old one, and changes nothing yet', async () => {
    const user = await auth.verifiedUser('before@example.com');
    const res = await ask(user.access, '  After@Example.com ');
    assert.equal(res.status, 202);
    const code = await auth.inbox.waitForCode('after@example.com', 'email_change_code');
    const [codeMail] = mailsTo('after@example.com');
    assert.deepEqual(Object.keys(codeMail!.data), ['code']);
    const notice = await eventually(() => mailsTo('before@example.com').find((m) => m.template === 'email_change_notice'), 'the notice');
    assert.deepEqual(notice.data, {});
    assert.equal((await auth.call('GET', '/auth/me', { token: user.access })).body.user.email, 'before@example.com');
    assert.equal((await auth.signIn('before@example.com')).status, 200);
    assert.match(code, /^\d{6}$/);
  });

  it("confirms with the code: the new address, verified, and every other session ended but the caller's", async () => {
    const user = await auth.verifiedUser('mover@example.com');
    const other = await auth.signIn('mover@example.com');
    assert.equal((await ask(user.access, 'moved@example.com')).status, 202);
    const code = await auth.inbox.waitForCode('moved@example.com', 'email_change_code');
    const res = await confirm(user.access, code);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body), ['user']);
    assert.equal(res.body.user.email, 'moved@example.com');
    assert.equal(res.body.user.email_verified, true);
    assert.equal((await auth.call('GET', '/auth/me', { token: other.body.access_token })).status, 401);
    assert.equal((await auth.call('POST', '/auth/refresh', { json: { refresh_token: other.body.refresh_token } })).status, 401);
    assert.equal((await auth.call('GET', '/auth/me', { token: user.access })).status, 200);
    assertError(await auth.signIn('mover@example.com'), 401, 'invalid_credentials');
    const signedIn = await auth.signIn('moved@example.com');
    assert.equal((jwt.decode(signedIn.body.access_token) as { email: string }).email, 'moved@example.com');
    assert.equal((await confirm(user.access, code)).body.error.code, 'invalid_code', 'the code works once');
  });

  it('answers 409 email_taken for an address another account has, and 409 conflict for the own address', async () => {
    await auth.verifiedUser('taken@example.com');
    const user = await auth.verifiedUser('wants-taken@example.com');
    const taken = await ask(user.access, 'taken@example.com');
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.code, 'email_taken');
    const own = await ask(user.access, 'wants-taken@example.com');
    assert.equal(own.status, 409);
    assert.equal(own.body.error.code, 'conflict');
    assert.equal(mailsTo('taken@example.com').filter((m) => m.template === 'email_change_code').length, 0);
  });

  it('answers a wrong code with 422 invalid_code and an expired one with 422 code_expired', async () => {
    const user = await auth.verifiedUser('coder@example.com');
    assert.equal((await ask(user.access, 'coder-new@example.com')).status, 202);
    const code = await auth.inbox.waitForCode('coder-new@example.com', 'email_change_code');
    const wrong = await confirm(user.access, code === '000000' ? '111111' : '000000');
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error.code, 'invalid_code');
    await auth.db.sequelize.query("UPDATE one_time_codes SET expires_at = ? WHERE user_id = ? AND purpose = 'email_change'", {
      replacements: [new Date(Date.now() - 1000), user.id],
    });
    const expired = await confirm(user.access, code);
    assert.equal(expired.status, 422);
    assert.equal(expired.body.error.code, 'code_expired');
  });

  it('answers the fourth request within the hour with 429 (the per-user mail limit)', async () => {
    const user = await auth.verifiedUser('limited@example.com');
    const statuses = [];
    for (const n of [1, 2, 3, 4]) statuses.push((await ask(user.access, `limited-${n}@example.com`)).status);
    assert.deepEqual(statuses, [202, 202, 202, 429]);
  });

  it('validates the body with 422 details, and needs a recent sign-in', async () => {
    const user = await auth.verifiedUser('validated@example.com');
    for (const body of [{}, { new_email: 'not-an-email' }, { new_email: 42 }]) {
      const res = await auth.call('POST', '/auth/email/change', { token: user.access, json: body });
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.equal(res.body.error.details[0].path, 'new_email');
    }
    const bad = await auth.call('POST', '/auth/email/change/confirm', { token: user.access, json: { code: '' } });
    assertError(bad, 422, 'validation_failed');
    const stale = jwt.sign(
      { ...(jwt.decode(user.access) as object), auth_time: Math.floor(Date.now() / 1000) - 3600 },
      auth.keys.privateKey,
      {
        algorithm: 'RS256',
        keyid: auth.keys.kid,
      },
    );
    assert.equal((await ask(stale, 'later@example.com')).body.error.code, 'step_up_required');
  });

  it('lets one of two accounts confirming the same new address at once win; the other gets 409 email_taken', async () => {
    const first = await auth.verifiedUser('rival-one@example.com');
    const second = await auth.verifiedUser('rival-two@example.com');
    assert.equal((await ask(first.access, 'contested@example.com')).status, 202);
    const firstCode = await auth.inbox.waitForCode('contested@example.com', 'email_change_code');
    assert.equal((await ask(second.access, 'contested@example.com')).status, 202);
    const secondCode = await eventually(() => {
      const codes = mailsTo('contested@example.com').map((m) => m.data.code);
      return codes.length === 2 ? codes[1] : undefined;
    }, 'the second code');
    const results = await Promise.all([confirm(first.access, firstCode), confirm(second.access, secondCode!)]);
    assert.deepEqual(tally(results.map((r) => r.status)), { 200: 1, 409: 1 });
    assert.equal(results.find((r) => r.status === 409)!.body.error.code, 'email_taken');
  });
});
