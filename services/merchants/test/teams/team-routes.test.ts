import assert from 'node:assert/strict';
import type { ErrorBody } from '@merchant-platform/common/testing/http-server';
import {
  profile,
  teamsStage,
  type Members,
  type MyMerchants,
  type OneMembership,
  type OwnMerchant,
  type Settings,
} from './teams-harness.js';

const MEMBERSHIP_KEYS = ['email', 'joined_at', 'merchant_id', 'name', 'role', 'user_id'];
const TEN_MINUTES_AND_A_BIT = 601;

describe('merchant teams: routes', () => {
  const stage = teamsStage();
  const { call } = stage;

  it('makes the creator of a merchant its owner, listed by GET /merchants/mine and GET /merchants/{id}/members', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);

    const mine = await call<MyMerchants>('GET', '/merchants/mine', { token: owner.token() });
    assert.equal(mine.status, 200);
    assert.deepEqual(Object.keys(mine.body), ['items']);
    assert.equal(mine.body.items.length, 1);
    assert.deepEqual(Object.keys(mine.body.items[0]!).sort(), ['merchant', 'role']);
    assert.equal(mine.body.items[0]!.role, 'owner');
    assert.equal(mine.body.items[0]!.merchant.id, merchantId);
    assert.equal(mine.body.items[0]!.merchant.address.city, 'Springfield');

    const members = await call<Members>('GET', `/merchants/${merchantId}/members`, { token: owner.token() });
    assert.equal(members.status, 200);
    assert.equal(members.body.items.length, 1);
    const [membership] = members.body.items;
    assert.deepEqual(Object.keys(membership!).sort(), MEMBERSHIP_KEYS);
    assert.deepEqual(
      { ...membership, joined_at: undefined },
      {
        merchant_id: merchantId,
        user_id: owner.sub,
        email: owner.email,
        name: `Person ${owner.sub.slice(0, 4)}`,
        role: 'owner',
        joined_at: undefined,
      },
    );
    assert.match(membership!.joined_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('lists every merchant a user belongs to, with their role in each, and nothing for a newcomer', async () => {
    const someone = stage.person();
    const first = await stage.merchantOwnedBy(someone);
    const other = await stage.merchantOwnedBy(stage.person());
    const seated = await stage.seat(other, 'viewer');
    await stage.db.sequelize.query('UPDATE merchant_memberships SET user_id = ? WHERE user_id = ?', {
      replacements: [someone.sub, seated.sub],
    });
    const mine = await call<MyMerchants>('GET', '/merchants/mine', { token: someone.token() });
    // Seated rows carry whole seconds on MariaDB, so the two may share a joined_at: compare as a set.
    assert.deepEqual(mine.body.items.map((i) => `${i.merchant.id} ${i.role}`).sort(), [`${first} owner`, `${other} viewer`].sort());
    const none = await call<MyMerchants>('GET', '/merchants/mine', { token: stage.person().token() });
    assert.deepEqual(none.body, { items: [] });
  });

  it('shows the full profile to members and answers 404 to non-members and unknown ids alike', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const viewer = await stage.seat(merchantId, 'viewer');
    const seen = await call<OwnMerchant>('GET', `/merchants/${merchantId}/profile`, { token: viewer.token() });
    assert.equal(seen.status, 200);
    assert.equal(seen.body.merchant.id, merchantId);
    assert.equal(seen.body.merchant.user_id, owner.sub);
    for (const path of [
      `/merchants/${merchantId}/profile`,
      '/merchants/no-such-merchant/profile',
      `/merchants/${'x'.repeat(300)}/members`,
    ]) {
      const res = await call<ErrorBody>('GET', path, { token: stage.person().token() });
      assert.equal(res.status, 404, path);
      assert.equal(res.body.error.code, 'not_found');
    }
  });

  it('lets an admin replace the profile, validating it as PUT /merchants/me does', async () => {
    const merchantId = await stage.merchantOwnedBy(stage.person());
    const admin = await stage.seat(merchantId, 'admin');
    const saved = await call<OwnMerchant>('PUT', `/merchants/${merchantId}/profile`, {
      token: admin.token(),
      json: profile({ business_name: 'Renamed', currency: 'eur' }),
    });
    assert.equal(saved.status, 200);
    assert.equal(saved.body.merchant.business_name, 'Renamed');
    assert.equal(saved.body.merchant.currency, 'EUR');
    const bad = await call<ErrorBody>('PUT', `/merchants/${merchantId}/profile`, {
      token: admin.token(),
      json: profile({ business_name: '' }),
    });
    assert.equal(bad.status, 422);
    assert.deepEqual(
      bad.body.error.details?.map((d) => d.path),
      ['business_name'],
    );
  });

  it('changes a role and answers exactly the membership', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const viewer = await stage.seat(merchantId, 'viewer');
    const res = await call<OneMembership>('PATCH', `/merchants/${merchantId}/members/${viewer.sub}`, {
      token: owner.token(),
      json: { role: 'developer' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['membership']);
    assert.deepEqual(Object.keys(res.body.membership).sort(), MEMBERSHIP_KEYS);
    assert.equal(res.body.membership.role, 'developer');
    assert.equal(res.body.membership.user_id, viewer.sub);
    const unknownRole = await call<ErrorBody>('PATCH', `/merchants/${merchantId}/members/${viewer.sub}`, {
      token: owner.token(),
      json: { role: 'superuser' },
    });
    assert.equal(unknownRole.status, 422);
    const stranger = await call<ErrorBody>('PATCH', `/merchants/${merchantId}/members/${stage.person().sub}`, {
      token: owner.token(),
      json: { role: 'viewer' },
    });
    assert.equal(stranger.status, 404);
  });

  it('asks for a recent sign-in (401 step_up_required) to change roles or settings', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const viewer = await stage.seat(merchantId, 'viewer');
    const stale = { auth_time: Math.floor(Date.now() / 1000) - TEN_MINUTES_AND_A_BIT };
    const v1Token = { auth_time: undefined, amr: undefined };
    for (const claims of [stale, v1Token, { ...stale, amr: ['pwd', 'mfa'] }]) {
      const patch = await call<ErrorBody>('PATCH', `/merchants/${merchantId}/members/${viewer.sub}`, {
        token: owner.token(claims),
        json: { role: 'developer' },
      });
      assert.equal(patch.status, 401);
      assert.equal(patch.body.error.code, 'step_up_required');
      const settings = await call<ErrorBody>('PATCH', `/merchants/${merchantId}/settings`, {
        token: owner.token(claims),
        json: { require_mfa: true },
      });
      assert.equal(settings.body.error.code, 'step_up_required');
    }
    const members = await call<Members>('GET', `/merchants/${merchantId}/members`, { token: owner.token(stale) });
    assert.equal(members.status, 200, 'reading needs no recent sign-in');
  });

  it('lets a member leave with 204, after which the merchant is unknown to them', async () => {
    const merchantId = await stage.merchantOwnedBy(stage.person());
    const developer = await stage.seat(merchantId, 'developer');
    const left = await call('DELETE', `/merchants/${merchantId}/members/${developer.sub}`, { token: developer.token() });
    assert.equal(left.status, 204);
    assert.equal(left.text, '');
    const after = await call<ErrorBody>('GET', `/merchants/${merchantId}/profile`, { token: developer.token() });
    assert.equal(after.status, 404);
    const mine = await call<MyMerchants>('GET', '/merchants/mine', { token: developer.token() });
    assert.deepEqual(mine.body.items, []);
  });

  it('refuses with 409 sole_owner to let the last owner leave, be removed or be demoted', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const leave = await call<ErrorBody>('DELETE', `/merchants/${merchantId}/members/${owner.sub}`, { token: owner.token() });
    assert.equal(leave.status, 409);
    assert.equal(leave.body.error.code, 'sole_owner');
    const demote = await call<ErrorBody>('PATCH', `/merchants/${merchantId}/members/${owner.sub}`, {
      token: owner.token(),
      json: { role: 'admin' },
    });
    assert.equal(demote.status, 409);
    assert.equal(demote.body.error.code, 'sole_owner');
    const second = await stage.seat(merchantId, 'owner');
    const removed = await call('DELETE', `/merchants/${merchantId}/members/${owner.sub}`, { token: second.token() });
    assert.equal(removed.status, 204);
    const last = await call<ErrorBody>('DELETE', `/merchants/${merchantId}/members/${second.sub}`, { token: second.token() });
    assert.equal(last.body.error.code, 'sole_owner');
    assert.equal(await stage.ownerCount(merchantId), 1);
  });

  it('never answers hostile input on the team routes with a 5xx', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const viewer = await stage.seat(merchantId, 'viewer');
    const attempts: [string, string, unknown][] = [
      ['PATCH', `/merchants/${merchantId}/members/${viewer.sub}`, {}],
      ['PATCH', `/merchants/${merchantId}/members/${viewer.sub}`, { role: ['owner'] }],
      ['PATCH', `/merchants/${merchantId}/members/${viewer.sub}`, { role: 'OWNER' }],
      ['PATCH', `/merchants/${merchantId}/members/nul%00byte`, { role: 'viewer' }],
      ['PATCH', `/merchants/nul%00byte/members/${viewer.sub}`, { role: 'viewer' }],
      ['PATCH', `/merchants/${merchantId}/members/${'x'.repeat(5000)}`, { role: 'viewer' }],
      ['DELETE', `/merchants/${merchantId}/members/%E2%80%AE`, undefined],
      ['PATCH', `/merchants/${merchantId}/settings`, { require_mfa: 'yes' }],
      ['PATCH', `/merchants/${merchantId}/settings`, []],
      ['PUT', `/merchants/${merchantId}/profile`, { __proto__: { role: 'owner' } }],
    ];
    for (const [method, path, json] of attempts) {
      const res = await call<ErrorBody>(method, path, { token: owner.token(), ...(json === undefined ? {} : { json }) });
      assert.ok(res.status >= 400 && res.status < 500, `${method} ${path.slice(0, 80)} -> ${res.status}`);
      assert.ok(res.body.error.code, 'the contract error body');
    }
    const members = await call<Members>('GET', `/merchants/${merchantId}/members`, { token: owner.token() });
    assert.deepEqual(members.body.items.map((m) => m.role).sort(), ['owner', 'viewer']);
  });

  it('keeps GET and PUT /merchants/me meaning the merchant the caller created', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const again = await call<OwnMerchant>('PUT', '/merchants/me', { token: owner.token(), json: profile({ business_name: 'Again' }) });
    assert.equal(again.status, 200);
    assert.equal(again.body.merchant.id, merchantId);
    assert.equal(await stage.ownerCount(merchantId), 1);
  });
});

describe('merchant teams: require_mfa', () => {
  const stage = teamsStage();
  const { call } = stage;

  it('answers PATCH /settings with the settings, then refuses members without mfa or hwk with 403 mfa_enrollment_required', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const viewer = await stage.seat(merchantId, 'viewer');
    const on = await call<Settings>('PATCH', `/merchants/${merchantId}/settings`, { token: owner.token(), json: { require_mfa: true } });
    assert.equal(on.status, 200);
    assert.deepEqual(on.body, { settings: { require_mfa: true } });

    for (const path of ['profile', 'members']) {
      const refused = await call<ErrorBody>('GET', `/merchants/${merchantId}/${path}`, { token: viewer.token({ amr: ['pwd'] }) });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'mfa_enrollment_required');
      assert.match(refused.body.error.message, /POST \/auth\/mfa\/totp/);
      assert.match(refused.body.error.message, /passkey/);
    }
    for (const amr of [['pwd', 'otp', 'mfa'], ['hwk']]) {
      const allowed = await call<Members>('GET', `/merchants/${merchantId}/members`, { token: viewer.token({ amr }) });
      assert.equal(allowed.status, 200, amr.join(','));
    }
    const mine = await call<MyMerchants>('GET', '/merchants/mine', { token: viewer.token() });
    assert.equal(mine.status, 200, 'the list of one’s merchants is not a merchant’s route');
  });

  it('answers a non-member 404, not mfa_enrollment_required, so the setting tells strangers nothing', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    await call<Settings>('PATCH', `/merchants/${merchantId}/settings`, { token: owner.token(), json: { require_mfa: true } });
    const res = await call<ErrorBody>('GET', `/merchants/${merchantId}/profile`, { token: stage.person().token() });
    assert.equal(res.status, 404);
  });

  it('lets the owner switch require_mfa off again, after signing in with a second factor', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    await call<Settings>('PATCH', `/merchants/${merchantId}/settings`, { token: owner.token(), json: { require_mfa: true } });
    const blocked = await call<ErrorBody>('PATCH', `/merchants/${merchantId}/settings`, {
      token: owner.token(),
      json: { require_mfa: false },
    });
    assert.equal(blocked.body.error.code, 'mfa_enrollment_required');
    const off = await call<Settings>('PATCH', `/merchants/${merchantId}/settings`, {
      token: owner.token({ amr: ['pwd', 'otp', 'mfa'] }),
      json: { require_mfa: false },
    });
    assert.deepEqual(off.body, { settings: { require_mfa: false } });
    const plain = await call<Members>('GET', `/merchants/${merchantId}/members`, { token: owner.token() });
    assert.equal(plain.status, 200);
  });
});
