import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import type { DataExportDocument } from '@merchant-platform/auth/domain/data-export';
import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { assertError, request, type ErrorBody, type JsonResponse } from '@merchant-platform/common/testing/http-server';
import { refusedWithin, verifiedAccount } from '@merchant-platform/common/testing/platform-accounts';
import { startThreeServices } from './support/three-services.js';

const SERVICE_TOKEN = 'data-rights-service-token-0123456789';
const PASSWORD = 'Correct-Horse1!';
const PROFILE = { business_name: 'Leaving Soon Ltd', address: { line1: '1 Main St', city: 'Leeds', country: 'GB' } };
const ROUNDS = 3;

type Platform = Awaited<ReturnType<typeof startThreeServices>>;
type Account = { id: string; access: string; refresh: string };

describe('data rights across the three services over HTTP: export and account deletion', function () {
  this.timeout(120_000);
  let platform: Platform;
  let db: Database;
  let sequence = 0;

  before(async function () {
    this.timeout(180_000);
    platform = await startThreeServices(SERVICE_TOKEN);
    db = await openDatabase(platform.testDb.url);
  });
  after(async () => {
    await db?.close();
    await platform?.stop();
  });

  const auth = <Body>(method: string, path: string, options?: Parameters<typeof request>[3]) =>
    request<Body>(platform.auth.base, method, path, options);
  const merchants = <Body>(method: string, path: string, options?: Parameters<typeof request>[3]) =>
    request<Body>(platform.merchants.base, method, path, options);
  const account = (name: string) => verifiedAccount(platform.auth.base, platform.email.output, `${name}-${++sequence}@example.com`);
  const deleteAccount = (who: Account) =>
    auth<ErrorBody & { message: string }>('DELETE', '/auth/me', { token: who.access, json: { confirm: 'DELETE' } });
  async function merchantOf(owner: Account): Promise<string> {
    const res = await merchants<{ merchant: { id: string } }>('PUT', '/merchants/me', { token: owner.access, json: PROFILE });
    assert.equal(res.status, 201, res.text);
    return res.body.merchant.id;
  }
  /** Invitations come in another branch; until then members are seated in the table, as the teams tests do. */
  async function seat(merchantId: string, member: Account, role: string): Promise<void> {
    await db.sequelize.query(
      'INSERT INTO merchant_memberships (merchant_id, user_id, email, name, role, joined_at) VALUES (?, ?, NULL, NULL, ?, ?)',
      { replacements: [merchantId, member.id, role, new Date()] },
    );
  }

  it('deletes the account: 202, its tokens refused by auth and merchants within 5 s, and the email registers again', async () => {
    const leaving = await account('leaving');
    const email = `leaving-${sequence}@example.com`;
    await merchantOf(leaving);

    const res = await deleteAccount(leaving);
    assert.equal(res.status, 202, res.text);
    assert.deepEqual(res.body, { message: 'Your account is deleted; every service forgets you within a minute.' });
    for (const [name, call] of [
      ['auth', () => auth('GET', '/auth/me', { token: leaving.access })],
      ['merchants', () => merchants('GET', '/merchants/mine', { token: leaving.access })],
    ] as const) {
      const refused = await refusedWithin(call as () => Promise<JsonResponse>, 5_000);
      assertError(refused, 401, 'invalid_token', name);
    }
    assertError(await auth('POST', '/auth/refresh', { json: { refresh_token: leaving.refresh } }), 401, 'invalid_token');
    assertError(await auth('POST', '/auth/token', { json: { email, password: PASSWORD } }), 401, 'invalid_credentials');
    const again = await auth<{ user: { id: string; email: string } }>('POST', '/auth/register', {
      json: { email, password: PASSWORD, confirm_password: PASSWORD, first_name: 'New', last_name: 'Owner' },
    });
    assert.equal(again.status, 201, again.text);
    assert.notEqual(again.body.user.id, leaving.id);
  });

  it('removes what auth held: no row of the user is left in any auth table', async () => {
    const leaving = await account('gone');
    assert.equal((await deleteAccount(leaving)).status, 202);
    for (const table of ['users', 'refresh_tokens', 'one_time_codes', 'totp_factors', 'recovery_codes', 'passkey_credentials']) {
      const column = table === 'users' ? 'id' : 'user_id';
      const [rows] = await db.sequelize.query(`SELECT 1 FROM ${table} WHERE ${column} = ?`, { replacements: [leaving.id] });
      assert.equal(rows.length, 0, table);
    }
  });

  it('refuses 409 sole_owner, naming the merchant, while the caller is the last owner of a merchant with other members', async () => {
    const owner = await account('owner');
    const member = await account('member');
    const merchantId = await merchantOf(owner);
    await seat(merchantId, member, 'viewer');
    const refused = await deleteAccount(owner);
    assertError(refused, 409, 'sole_owner');
    assert.deepEqual(refused.body.error.details, [
      { path: `merchants.${merchantId}`, message: `You are the last owner of ${PROFILE.business_name}.` },
    ]);
    assert.equal((await auth('GET', '/auth/me', { token: owner.access })).status, 200, 'the account is untouched');
    assert.equal((await deleteAccount(member)).status, 202, 'a member who is not an owner may go');
  });

  it('admits exactly one of two co-owners deleting their accounts at the same moment', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const first = await account('first');
      const second = await account('second');
      const member = await account('staying');
      const merchantId = await merchantOf(first);
      await seat(merchantId, second, 'owner');
      await seat(merchantId, member, 'developer');
      const answers = await Promise.all([deleteAccount(first), deleteAccount(second)]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [202, 409], `round ${round}: ${answers.map((a) => a.text).join(' ')}`);
      const survivor = answers[0]!.status === 409 ? first : second;
      assert.equal((await auth('GET', '/auth/me', { token: survivor.access })).status, 200, `round ${round}`);
    }
  });

  it('needs {"confirm": "DELETE"} (422) and a recent sign-in (401 step_up_required)', async () => {
    const user = await account('careful');
    assertError(await auth('DELETE', '/auth/me', { token: user.access, json: {} }), 422, 'validation_failed');
    assertError(await auth('DELETE', '/auth/me', { token: user.access, json: { confirm: 'delete' } }), 422, 'validation_failed');
    const claims = jwt.decode(user.access) as jwt.JwtPayload;
    const stale = jwt.sign({ ...claims, auth_time: Math.floor(Date.now() / 1000) - 3600 }, platform.keys.privateKey, {
      algorithm: 'RS256',
      keyid: platform.keys.kid,
    });
    assertError(await auth('DELETE', '/auth/me', { token: stale, json: { confirm: 'DELETE' } }), 401, 'step_up_required');
    assertError(await auth('GET', '/auth/me/export', { token: stale }), 401, 'step_up_required');
    assert.equal((await auth('GET', '/auth/me', { token: user.access })).status, 200);
  });

  it('exports what every service holds about the caller, in exactly this shape and with no secret in it', async () => {
    const user = await account('exporter');
    const merchantId = await merchantOf(user);
    const res = await auth<DataExportDocument>('GET', '/auth/me/export', { token: user.access });
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-disposition') ?? '', /attachment/);
    assert.deepEqual(Object.keys(res.body), [
      'exported_at',
      'user',
      'sessions',
      'factors',
      'memberships',
      'merchants',
      'security_events',
      'emails',
    ]);
    assert.equal(res.body.user.id, user.id);
    assert.equal(res.body.sessions.length, 2, 'the sign-in before verifying and the one after');
    assert.deepEqual(res.body.factors, []);
    assert.deepEqual(
      (res.body.memberships as { merchant_id: string; role: string }[]).map((m) => [m.merchant_id, m.role]),
      [[merchantId, 'owner']],
    );
    assert.deepEqual(
      (res.body.merchants as { business_name: string }[]).map((m) => m.business_name),
      [PROFILE.business_name],
    );
    const emails = res.body.emails as { template: string }[];
    assert.deepEqual(emails.map((m) => m.template).sort(), ['verify_email', 'welcome']);
    for (const mail of emails) assert.deepEqual(Object.keys(mail).sort(), ['created_at', 'id', 'sent_at', 'status', 'template']);
    // No secret: not the password, its hash, a token, a code or a service credential.
    const code = /code is:? (\d{6})/.exec(
      platform.email
        .output()
        .split('\n')
        .find((l) => l.includes(`exporter-${sequence}@`)) ?? '',
    )?.[1];
    for (const secret of [PASSWORD, user.access, user.refresh, SERVICE_TOKEN, code!]) assert.ok(!res.text.includes(secret));
    assert.doesNotMatch(res.text, /\$2[aby]\$|_hash|secret|"code"|token/i);
  });
});
