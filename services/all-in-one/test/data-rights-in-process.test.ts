import assert from 'node:assert/strict';
import type { DataExportDocument } from '@merchant-platform/auth/domain/data-export';
import { loadAuthConfig } from '@merchant-platform/auth/config';
import { SigningKeys } from '@merchant-platform/auth/domain/signing-keys';
import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { createMetrics } from '@merchant-platform/common/metrics';
import { assertError, request, type ErrorBody, type RunningServer } from '@merchant-platform/common/testing/http-server';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { verifiedAccount } from '@merchant-platform/common/testing/platform-accounts';
import { serveModules } from '@merchant-platform/common/testing/test-app';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { loadEmailConfig } from '@merchant-platform/email/app';
import { currentCode } from '../../auth/test/totp-support.js';
import { createPlatformModules, migrateAll } from '../src/platform.js';

const PASSWORD = 'Correct-Horse1!';
const PROFILE = { business_name: 'One Process Ltd', address: { line1: '2 High St', city: 'York', country: 'GB' } };

describe('data rights in all-in-one mode: auth asks merchants and email in-process', function () {
  this.timeout(60_000);
  let testDb: TestDatabase;
  let db: Database;
  let server: RunningServer;
  const logs = captureLogs();
  let stop: () => Promise<void>;

  before(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase(testDb.url);
    const context = { db, logger: logs.logger, metrics: createMetrics(), openapi: createOpenApiRegistry() };
    await migrateAll(context);
    const modules = createPlatformModules(context, {
      jwtPrivateKey: SigningKeys.generatePem(),
      auth: { ...loadAuthConfig({ BCRYPT_COST: '10' }), PASSWORD_PEPPER: 'a-test-pepper-of-at-least-32-characters' },
      email: loadEmailConfig({ EMAIL_TRANSPORT: 'log', EMAIL_POLL_INTERVAL_MS: '50' }),
    });
    server = await serveModules({ modules, openapi: context.openapi, logger: logs.logger, overrides: { metrics: context.metrics } });
    modules.forEach((m) => m.start?.());
    stop = async () => {
      await server.close();
      await Promise.all(modules.map((m) => m.stop?.()));
    };
  });
  after(async () => {
    await stop?.();
    await db?.close();
    await testDb?.drop();
  });

  const call = <Body>(method: string, path: string, options?: Parameters<typeof request>[3]) =>
    request<Body>(server.url, method, path, options);

  /** A verified user with a confirmed authenticator app, signed in with it (a recent multi-factor sign-in). */
  async function userWithTotp(email: string) {
    const user = await verifiedAccount(server.url, logs.text, email);
    const enrolment = await call<{ factor_id: string; secret: string }>('POST', '/auth/mfa/totp', {
      token: user.access,
      json: { name: 'Phone' },
    });
    const confirmed = await call<{ recovery_codes: string[] }>('POST', `/auth/mfa/totp/${enrolment.body.factor_id}/confirm`, {
      token: user.access,
      json: { code: currentCode(enrolment.body.secret) },
    });
    assert.equal(confirmed.status, 200, confirmed.text);
    const challenge = await call<ErrorBody>('POST', '/auth/token', { json: { email, password: PASSWORD } });
    const mfaToken = (challenge.body.error as { mfa?: { mfa_token: string } }).mfa!.mfa_token;
    const signedIn = await call<{ access_token: string }>('POST', '/auth/mfa/verify', {
      json: { mfa_token: mfaToken, code: currentCode(enrolment.body.secret, 1) },
    });
    assert.equal(signedIn.status, 200, signedIn.text);
    return { ...user, access: signedIn.body.access_token, secret: enrolment.body.secret, recoveryCodes: confirmed.body.recovery_codes };
  }

  it("exports the factors' metadata, the memberships and the mail, and no secret, code or hash", async () => {
    const user = await userWithTotp('factored@example.com');
    const merchant = await call<{ merchant: { id: string } }>('PUT', '/merchants/me', { token: user.access, json: PROFILE });
    assert.equal(merchant.status, 201, merchant.text);
    const res = await call<DataExportDocument>('GET', '/auth/me/export', { token: user.access });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.factors.length, 1);
    assert.deepEqual(Object.keys(res.body.factors[0]!).sort(), ['created_at', 'id', 'last_used_at', 'name', 'type']);
    assert.deepEqual([res.body.factors[0]!.type, res.body.factors[0]!.name], ['totp', 'Phone']);
    assert.deepEqual(
      res.body.memberships.map((m) => [m.merchant_id, m.role]),
      [[merchant.body.merchant.id, 'owner']],
    );
    assert.deepEqual(res.body.emails.map((m) => m.template).sort(), ['verify_email', 'welcome']);
    for (const secret of [PASSWORD, user.secret, ...user.recoveryCodes, user.access, user.refresh]) {
      assert.ok(!res.text.includes(secret), 'a secret in the export');
    }
    assert.doesNotMatch(res.text, /\$2[aby]\$|_hash|secret|"code"|token/i);
  });

  it('deletes an account in-process, refuses the last owner of a team with 409 sole_owner, and frees the address', async () => {
    const owner = await verifiedAccount(server.url, logs.text, 'inproc-owner@example.com');
    const member = await verifiedAccount(server.url, logs.text, 'inproc-member@example.com');
    const merchant = await call<{ merchant: { id: string } }>('PUT', '/merchants/me', { token: owner.access, json: PROFILE });
    await db.sequelize.query(
      "INSERT INTO merchant_memberships (merchant_id, user_id, email, name, role, joined_at) VALUES (?, ?, NULL, NULL, 'viewer', ?)",
      { replacements: [merchant.body.merchant.id, member.id, new Date()] },
    );
    const refused = await call<ErrorBody>('DELETE', '/auth/me', { token: owner.access, json: { confirm: 'DELETE' } });
    assertError(refused, 409, 'sole_owner');
    assert.equal(refused.body.error.details?.[0]?.path, `merchants.${merchant.body.merchant.id}`);

    assert.equal((await call('DELETE', '/auth/me', { token: member.access, json: { confirm: 'DELETE' } })).status, 202);
    assertError(await call('GET', '/auth/me', { token: member.access }), 401, 'invalid_token');
    const again = await call('POST', '/auth/register', {
      json: { email: 'inproc-member@example.com', password: PASSWORD, confirm_password: PASSWORD, first_name: 'Back', last_name: 'Again' },
    });
    assert.equal(again.status, 201, again.text);
  });
});
