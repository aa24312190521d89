import assert from 'node:assert/strict';
import type { ErrorBody } from '@merchant-platform/common/testing/http-server';
import { startAuth, STRONG_PASSWORD, type AuthHarness } from './support.js';

const USER_KEYS = [
  'id',
  'email',
  'first_name',
  'middle_name',
  'last_name',
  'profile_picture',
  'email_verified',
  'roles',
  'auth_methods',
  'created_at',
];

describe('registration', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth();
  });
  after(() => auth.close());

  it('creates an unverified merchant with exactly the contract fields and mails a 6-digit code', async () => {
    const res = await auth.register('  Ada@Example.COM ', { middle_name: 'King' });
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.body), ['user']);
    assert.deepEqual(Object.keys(res.body.user).sort(), [...USER_KEYS].sort());
    const { user } = res.body;
    assert.equal(user.email, 'ada@example.com');
    assert.equal(user.first_name, 'Ada');
    assert.equal(user.middle_name, 'King');
    assert.equal(user.last_name, 'Lovelace');
    assert.equal(user.profile_picture, null);
    assert.equal(user.email_verified, false);
    assert.deepEqual(user.roles, ['merchant']);
    assert.deepEqual(user.auth_methods, ['password']);
    assert.match(user.id, /^[0-9a-f-]{36}$/);
    assert.match(user.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const mail = auth.inbox.sent.find((m) => m.to === 'ada@example.com');
    assert.equal(mail?.template, 'verify_email');
    assert.match(mail?.data.code ?? '', /^\d{6}$/);
    assert.deepEqual(Object.keys(mail?.data ?? {}), ['code'], 'the code only: no name in a code-carrying mail');
  });

  it('answers the seed alias POST /register the same way', async () => {
    const res = await auth.call('POST', '/register', {
      json: { email: 'alias@example.com', password: STRONG_PASSWORD, confirm_password: STRONG_PASSWORD, first_name: 'A', last_name: 'B' },
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.user.email, 'alias@example.com');
  });

  it('answers a second registration of the same email (any case) with 409 email_taken', async () => {
    await auth.register('twice@example.com');
    const res = await auth.register<ErrorBody>('TWICE@example.com');
    assert.equal(res.status, 409);
    assert.deepEqual(res.body, { error: { code: 'email_taken', message: res.body.error.message } });
  });

  it('gives one 201 and 29 409s to 30 concurrent registrations of one email', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => auth.register('race@example.com')));
    const statuses = results.map((r) => r.status).sort();
    assert.equal(statuses.filter((s) => s === 201).length, 1, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 409).length, 29, statuses.join(','));
    const [rows] = await auth.db.sequelize.query("SELECT COUNT(*) AS n FROM users WHERE email = 'race@example.com'");
    assert.equal(Number((rows as { n: number }[])[0]!.n), 1);
  });

  it('rejects a weak password with 422 weak_password whose message states the policy', async () => {
    for (const password of ['short1!A', 'alllowercase1!', 'ALLUPPERCASE1!', 'NoDigits!!', 'NoSpecial123', `Aa1!${'x'.repeat(125)}`]) {
      const res = await auth.register<ErrorBody>(`weak-${password.length}@example.com`, { password, confirm_password: password });
      if (password === 'short1!A') {
        assert.equal(res.status, 201, 'eight characters with every class is strong enough');
        continue;
      }
      assert.equal(res.status, 422, password);
      assert.equal(res.body.error.code, 'weak_password');
      assert.match(res.body.error.message, /8 to 128 characters.*lower-case.*upper-case.*digit.*@\$!%\*\?&/);
    }
  });

  it('rejects differing confirmation with 422 password_mismatch', async () => {
    const res = await auth.register<ErrorBody>('mismatch@example.com', { confirm_password: 'Different-Horse1!' });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, 'password_mismatch');
  });

  it('rejects missing or malformed fields with 422 validation_failed naming each field', async () => {
    const res = await auth.call('POST', '/auth/register', { json: { email: 'not-an-email', first_name: '' } });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, 'validation_failed');
    const paths = res.body.error.details.map((d: { path: string }) => d.path).sort();
    assert.deepEqual(paths, ['confirm_password', 'email', 'first_name', 'last_name', 'password']);
  });

  it('ignores roles, email_verified and id sent in the body', async () => {
    const res = await auth.register('sneaky@example.com', { roles: ['admin'], email_verified: true, id: 'mine', auth_methods: ['google'] });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.user.roles, ['merchant']);
    assert.equal(res.body.user.email_verified, false);
    assert.notEqual(res.body.user.id, 'mine');
  });

  it('still registers when the email service is down, so the user can ask for a new code later', async () => {
    auth.inbox.failing = true;
    try {
      const res = await auth.register('mailless@example.com');
      assert.equal(res.status, 201);
    } finally {
      auth.inbox.failing = false;
    }
    assert.match(auth.logs.text(), /could not hand the e-mail to the email service/);
    const metrics = await fetch(`${auth.url}/metrics`).then((r) => r.text());
    const line = metrics.split('\n').find((l) => l.startsWith('auth_email_handoff_failures_total{template="verify_email"}'));
    assert.equal(line, 'auth_email_handoff_failures_total{template="verify_email"} 1');
  });
});
