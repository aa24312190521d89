import assert from 'node:assert/strict';
import { assertError, type ErrorBody } from '@merchant-platform/common/testing/http-server';
import { SequelizeUserDepartureRepository } from '../src/data/user-departure-repository.js';
import type { UserMerchantsExport } from '../src/domain/user-data-export.js';
import { userErasure } from '../src/domain/user-erasure.js';
import { profile, teamsStage, type Person } from './teams/teams-harness.js';

const SERVICE_TOKEN = 'a-service-token-for-merchants-tests';
const ROUNDS = 5;

describe("merchants: a user's data rights (export, deletion check, erasure)", function () {
  this.timeout(60_000);
  const stage = teamsStage({ serviceToken: SERVICE_TOKEN });
  const asService = { token: SERVICE_TOKEN };
  const depart = (person: Person) => stage.call<ErrorBody>('POST', `/internal/users/${person.sub}/departure`, asService);
  const eraseUserData = (userId: string) => userErasure(new SequelizeUserDepartureRepository(stage.db.sequelize)).eraseUserData(userId);
  const count = async (sql: string, replacements: unknown[]) => {
    const [rows] = await stage.db.sequelize.query(`SELECT COUNT(*) AS n FROM ${sql}`, { replacements });
    return Number((rows as { n: number }[])[0]!.n);
  };
  const apiKeyOf = async (owner: Person, merchantId: string) => {
    const res = await stage.call('POST', `/merchants/${merchantId}/api-keys`, {
      token: owner.token(),
      json: { name: 'ci', scopes: ['merchant:read'] },
    });
    assert.equal(res.status, 201, res.text);
  };

  it('exports exactly the memberships of the user and the full profiles of those merchants', async () => {
    const ada = stage.person();
    const own = await stage.merchantOwnedBy(ada);
    const other = await stage.merchantOwnedBy(stage.person());
    const seated = await stage.seat(other, 'viewer');
    await stage.merchantOwnedBy(stage.person()); // a merchant neither of them belongs to
    const res = await stage.call<UserMerchantsExport>('GET', `/internal/users/${seated.sub}/export`, asService);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['memberships', 'merchants']);
    assert.deepEqual(
      res.body.memberships.map((m) => [m.merchant_id, m.user_id, m.role]),
      [[other, seated.sub, 'viewer']],
    );
    assert.deepEqual(
      res.body.merchants.map((m) => [m.id, m.business_name]),
      [[other, profile().business_name]],
    );
    const adas = await stage.call<UserMerchantsExport>('GET', `/internal/users/${ada.sub}/export`, asService);
    assert.deepEqual(Object.keys(adas.body.memberships[0]!).sort(), ['email', 'joined_at', 'merchant_id', 'name', 'role', 'user_id']);
    assert.deepEqual(
      adas.body.merchants.map((m) => m.id),
      [own],
    );
    assert.deepEqual(Object.keys(adas.body.merchants[0]!).sort(), [
      'address',
      'business_name',
      'business_type',
      'created_at',
      'currency',
      'id',
      'phone',
      'updated_at',
      'user_id',
      'website',
    ]);
  });

  it('answers the internal routes only to a service credential', async () => {
    const person = stage.person();
    assertError(await stage.call('GET', `/internal/users/${person.sub}/export`), 401, 'unauthenticated');
    assertError(await stage.call('GET', `/internal/users/${person.sub}/export`, { token: person.token() }), 401, 'invalid_token');
    assertError(
      await stage.call('POST', `/internal/users/${person.sub}/departure`, { token: 'not-the-service-token' }),
      401,
      'invalid_token',
    );
  });

  it('refuses the departure of the last owner of a merchant with other members, naming it', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    await stage.seat(merchantId, 'admin');
    const refused = await depart(owner);
    assertError(refused, 409, 'sole_owner');
    assert.deepEqual(refused.body.error.details, [
      { path: `merchants.${merchantId}`, message: `You are the last owner of ${profile().business_name}.` },
    ]);
    assert.equal(await count('merchant_user_departures WHERE user_id = ?', [owner.sub]), 0);
  });

  it('admits the departure of a member, a co-owner and the only member of a merchant', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const viewer = await stage.seat(merchantId, 'viewer');
    const coOwner = await stage.seat(merchantId, 'owner');
    assert.equal((await depart(coOwner)).status, 204);
    // The co-owner is on the way out: the owner now is the last one of a team with a member left.
    assertError(await depart(owner), 409, 'sole_owner');
    assert.equal((await stage.call('DELETE', `/internal/users/${coOwner.sub}/departure`, asService)).status, 204);
    assert.equal((await depart(viewer)).status, 204);
    assert.equal((await depart(viewer)).status, 204, 'admitting twice is harmless');
    assert.equal((await depart(owner)).status, 204, 'a withdrawn departure counts as an owner again');
    const alone = stage.person();
    await stage.merchantOwnedBy(alone);
    assert.equal((await depart(alone)).status, 204);
  });

  it('admits exactly one of two co-owners deleting their accounts at once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const first = stage.person();
      const merchantId = await stage.merchantOwnedBy(first);
      const second = await stage.seat(merchantId, 'owner');
      await stage.seat(merchantId, 'developer');
      const answers = await Promise.all([depart(first), depart(second)]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [204, 409], `round ${round}`);
      assert.equal(await count('merchant_user_departures WHERE user_id IN (?, ?)', [first.sub, second.sub]), 1, `round ${round}`);
    }
  });

  it('stops counting a departing owner: the other owner can no longer leave or step down', async () => {
    const leaving = stage.person();
    const merchantId = await stage.merchantOwnedBy(leaving);
    const staying = await stage.seat(merchantId, 'owner');
    await stage.seat(merchantId, 'viewer');
    assert.equal((await depart(leaving)).status, 204);
    assertError(
      await stage.call('PATCH', `/merchants/${merchantId}/members/${staying.sub}`, { token: staying.token(), json: { role: 'admin' } }),
      409,
      'sole_owner',
    );
    assertError(
      await stage.call('DELETE', `/merchants/${merchantId}/members/${staying.sub}`, { token: staying.token() }),
      409,
      'sole_owner',
    );
  });

  it('erases a user: memberships gone, merchants they were alone in deleted with their keys, idempotent', async () => {
    const ada = stage.person();
    const alone = await stage.merchantOwnedBy(ada);
    await apiKeyOf(ada, alone);
    const shared = await stage.merchantOwnedBy(stage.person());
    await stage.db.sequelize.query(
      "INSERT INTO merchant_memberships (merchant_id, user_id, email, name, role, joined_at) VALUES (?, ?, ?, 'Ada', 'admin', ?)",
      { replacements: [shared, ada.sub, ada.email, new Date()] },
    );
    assert.equal((await depart(ada)).status, 204);

    assert.deepEqual(await eraseUserData(ada.sub), { removedMemberships: 2, deletedMerchantIds: [alone] });
    assert.equal(await count('merchant_memberships WHERE user_id = ?', [ada.sub]), 0);
    assert.equal(await count('merchants WHERE id = ?', [alone]), 0);
    assert.equal(await count('merchant_api_keys WHERE merchant_id = ?', [alone]), 0);
    assert.equal(await count('merchants WHERE id = ?', [shared]), 1, 'a merchant with other members stays');
    assert.equal(await count('merchant_memberships WHERE merchant_id = ?', [shared]), 1);
    assert.equal(await count('merchant_user_departures WHERE user_id = ?', [ada.sub]), 0);
    assert.deepEqual(await eraseUserData(ada.sub), { removedMemberships: 0, deletedMerchantIds: [] });
    const exported = await stage.call<UserMerchantsExport>('GET', `/internal/users/${ada.sub}/export`, asService);
    assert.deepEqual(exported.body, { memberships: [], merchants: [] });
  });

  it('erases two members of one merchant at once and deletes it exactly when the last one goes', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const first = stage.person();
      const merchantId = await stage.merchantOwnedBy(first);
      const second = await stage.seat(merchantId, 'owner');
      const results = await Promise.all([eraseUserData(first.sub), eraseUserData(second.sub)]);
      assert.deepEqual(
        results.flatMap((r) => r.deletedMerchantIds),
        [merchantId],
        `round ${round}`,
      );
      assert.equal(await count('merchants WHERE id = ?', [merchantId]), 0, `round ${round}`);
    }
  });
});
