import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ErrorBody } from '@merchant-platform/common/testing/http-server';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { profile, teamsStage, type Members, type OwnMerchant } from '../teams/teams-harness.js';
import { issueKey, type IssuedKey, type KeyList } from './api-keys-harness.js';

const KEY_FIELDS = ['created_at', 'expires_at', 'id', 'last_used_at', 'name', 'prefix', 'revoked_at', 'scopes'];

describe('merchant API keys', () => {
  const stage = teamsStage();
  const { call } = stage;
  /** Every secret the tests saw, so the last test can look for them in the logs. */
  const secrets: string[] = [];
  const issue = async (...args: Parameters<typeof issueKey> extends [unknown, ...infer Rest] ? Rest : never) => {
    const issued = await issueKey(stage, ...args);
    secrets.push(issued.secret);
    return issued;
  };
  const profileWith = (merchantId: string, secret: string) =>
    call<OwnMerchant | ErrorBody>('GET', `/merchants/${merchantId}/profile`, { token: secret });

  it('creates a key answering {api_key, secret} once, with the secret mpk_ + 256 bits and its first 12 characters as prefix', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const res = await call<IssuedKey>('POST', `/merchants/${merchantId}/api-keys`, {
      token: owner.token(),
      json: { name: 'Checkout', scopes: ['merchant:read', 'members:read'] },
    });
    assert.equal(res.status, 201);
    secrets.push(res.body.secret);
    assert.deepEqual(Object.keys(res.body).sort(), ['api_key', 'secret']);
    assert.deepEqual(Object.keys(res.body.api_key).sort(), KEY_FIELDS);
    assert.match(res.body.secret, /^mpk_[A-Za-z0-9_-]{43,}$/);
    assert.deepEqual(
      { ...res.body.api_key, id: undefined, created_at: undefined },
      {
        id: undefined,
        created_at: undefined,
        name: 'Checkout',
        prefix: res.body.secret.slice(0, 12),
        scopes: ['merchant:read', 'members:read'],
        expires_at: null,
        last_used_at: null,
        revoked_at: null,
      },
    );

    const list = await call<KeyList>('GET', `/merchants/${merchantId}/api-keys`, { token: owner.token() });
    assert.equal(list.status, 200);
    assert.deepEqual(Object.keys(list.body), ['items']);
    assert.deepEqual(list.body.items, [res.body.api_key]);
    assert.ok(!list.text.includes(res.body.secret.slice(12)), 'the list never shows the secret');
  });

  it('refuses unknown scopes, no scopes, and an expiry in the past with 422', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    for (const json of [
      { name: 'x', scopes: ['merchant:read', 'payments:write'] },
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['merchant:read'], expires_at: '2001-01-01T00:00:00Z' },
      { scopes: ['merchant:read'] },
    ]) {
      const res = await call<ErrorBody>('POST', `/merchants/${merchantId}/api-keys`, { token: owner.token(), json });
      assert.equal(res.status, 422, JSON.stringify(json));
      assert.equal(res.body.error.code, 'validation_failed');
    }
  });

  it('lets owners and admins manage keys, developers only list them, and viewers neither', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const [admin, developer, viewer] = [
      await stage.seat(merchantId, 'admin'),
      await stage.seat(merchantId, 'developer'),
      await stage.seat(merchantId, 'viewer'),
    ];
    const byAdmin = await issue(admin, merchantId);
    const path = `/merchants/${merchantId}/api-keys`;
    assert.equal((await call('GET', path, { token: developer.token() })).status, 200);
    const devCreates = await call<ErrorBody>('POST', path, { token: developer.token(), json: { name: 'x', scopes: ['merchant:read'] } });
    assert.equal(devCreates.status, 403);
    assert.equal(devCreates.body.error.code, 'forbidden');
    assert.equal((await call('DELETE', `${path}/${byAdmin.api_key.id}`, { token: developer.token() })).status, 403);
    assert.equal((await call('GET', path, { token: viewer.token() })).status, 403);
    const stale = await call<ErrorBody>('POST', path, {
      token: admin.token({ auth_time: Math.floor(Date.now() / 1000) - 3600 }),
      json: { name: 'x', scopes: ['merchant:read'] },
    });
    assert.equal(stale.status, 401);
    assert.equal(stale.body.error.code, 'step_up_required');
  });

  it('lets a key do what its scopes name on its own merchant, and answers 403 insufficient_scope for the rest', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const { secret } = await issue(owner, merchantId, { name: 'reader', scopes: ['merchant:read'] });

    const read = await profileWith(merchantId, secret);
    assert.equal(read.status, 200);
    assert.equal((read.body as OwnMerchant).merchant.id, merchantId);

    const attempts: [string, string, unknown?][] = [
      ['PUT', `/merchants/${merchantId}/profile`, profile()],
      ['GET', `/merchants/${merchantId}/members`],
      ['DELETE', `/merchants/${merchantId}/members/${owner.sub}`],
      ['GET', `/merchants/${merchantId}/api-keys`],
      ['PATCH', `/merchants/${merchantId}/settings`, { require_mfa: true }],
    ];
    for (const [method, path, json] of attempts) {
      const res = await call<ErrorBody>(method, path, { token: secret, ...(json ? { json } : {}) });
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.error.code, 'insufficient_scope', `${method} ${path}`);
    }

    const writer = await issue(owner, merchantId, { name: 'writer', scopes: ['merchant:write', 'members:read'] });
    const put = await call<OwnMerchant>('PUT', `/merchants/${merchantId}/profile`, {
      token: writer.secret,
      json: profile({ business_name: 'By key' }),
    });
    assert.equal(put.status, 200);
    assert.equal(put.body.merchant.business_name, 'By key');
    const members = await call<Members>('GET', `/merchants/${merchantId}/members`, { token: writer.secret });
    assert.equal(members.status, 200);
    assert.equal(members.body.items.length, 1);
  });

  it('answers a key of merchant A on merchant B with 404, and on user routes with 401 invalid_token', async () => {
    const [ownerA, ownerB] = [stage.person(), stage.person()];
    const [merchantA, merchantB] = [await stage.merchantOwnedBy(ownerA), await stage.merchantOwnedBy(ownerB)];
    const { secret } = await issue(ownerA, merchantA, { name: 'all', scopes: ['merchant:read', 'merchant:write', 'members:read'] });
    for (const [method, path] of [
      ['GET', `/merchants/${merchantB}/profile`],
      ['GET', `/merchants/${merchantB}/members`],
      ['GET', `/merchants/${merchantB}/api-keys`],
      ['GET', '/merchants/no-such-merchant/profile'],
    ] as const) {
      const res = await call<ErrorBody>(method, path, { token: secret });
      assert.equal(res.status, 404, path);
      assert.equal(res.body.error.code, 'not_found');
    }
    const me = await call<ErrorBody>('GET', '/merchants/me', { token: secret });
    assert.equal(me.status, 401);
    assert.equal(me.body.error.code, 'invalid_token');
  });

  it('ignores require_mfa for keys', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const { secret } = await issue(owner, merchantId);
    const on = await call('PATCH', `/merchants/${merchantId}/settings`, {
      token: owner.token({ amr: ['pwd', 'mfa'] }),
      json: { require_mfa: true },
    });
    assert.equal(on.status, 200);
    assert.equal((await call('GET', `/merchants/${merchantId}/profile`, { token: owner.token() })).status, 403);
    assert.equal((await profileWith(merchantId, secret)).status, 200);
  });

  it('records last_used_at on use, written at most once a minute', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const { secret, api_key } = await issue(owner, merchantId);
    await Promise.all(Array.from({ length: 5 }, () => profileWith(merchantId, secret)));
    const listed = async () =>
      (await call<KeyList>('GET', `/merchants/${merchantId}/api-keys`, { token: owner.token() })).body.items.find(
        (k) => k.id === api_key.id,
      )!;
    const first = (await listed()).last_used_at;
    assert.ok(first !== null);
    assert.equal((await profileWith(merchantId, secret)).status, 200);
    assert.equal((await listed()).last_used_at, first);
  });

  it('stops accepting a key once its expires_at has passed', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const { secret, api_key } = await issue(owner, merchantId, { name: 'short', scopes: ['merchant:read'], expires_at: expiresAt });
    assert.equal(api_key.expires_at, expiresAt);
    const refused = await eventually(async () => {
      const res = await profileWith(merchantId, secret);
      return res.status === 200 ? undefined : res;
    }, 'the key to expire');
    assert.ok(Date.now() >= Date.parse(expiresAt));
    assert.equal(refused.status, 401);
    assert.equal((refused.body as ErrorBody).error.code, 'invalid_token');
  });

  it('rolls a key: the successor keeps name and scopes, the old secret works during the grace and fails after it', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const first = await issue(owner, merchantId, { name: 'rolling', scopes: ['merchant:read'] });
    const rollPath = (id: string) => `/merchants/${merchantId}/api-keys/${id}/roll`;

    const second = await call<IssuedKey>('POST', rollPath(first.api_key.id), { token: owner.token(), json: { grace_seconds: 86_400 } });
    assert.equal(second.status, 201);
    secrets.push(second.body.secret);
    assert.deepEqual(Object.keys(second.body).sort(), ['api_key', 'secret']);
    assert.notEqual(second.body.api_key.id, first.api_key.id);
    assert.notEqual(second.body.secret, first.secret);
    assert.equal(second.body.api_key.name, 'rolling');
    assert.deepEqual(second.body.api_key.scopes, ['merchant:read']);
    assert.equal((await profileWith(merchantId, first.secret)).status, 200, 'the old secret works during its grace');
    assert.equal((await profileWith(merchantId, second.body.secret)).status, 200);

    const again = await call<ErrorBody>('POST', rollPath(first.api_key.id), { token: owner.token(), json: {} });
    assert.equal(again.status, 409, 'a rolled key cannot be rolled again');

    const third = await call<IssuedKey>('POST', rollPath(second.body.api_key.id), { token: owner.token(), json: { grace_seconds: 1 } });
    assert.equal(third.status, 201);
    secrets.push(third.body.secret);
    const refused = await eventually(async () => {
      const res = await profileWith(merchantId, second.body.secret);
      return res.status === 200 ? undefined : res;
    }, 'the grace of the second secret to end');
    assert.equal(refused.status, 401);
    assert.equal((await profileWith(merchantId, third.body.secret)).status, 200);

    const list = await call<KeyList>('GET', `/merchants/${merchantId}/api-keys`, { token: owner.token() });
    assert.deepEqual(
      list.body.items.map((k) => k.id),
      [first.api_key.id, second.body.api_key.id, third.body.api_key.id],
    );
  });

  it('revokes a key at once, with any older secret still in a roll’s grace', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const first = await issue(owner, merchantId);
    const rolled = await call<IssuedKey>('POST', `/merchants/${merchantId}/api-keys/${first.api_key.id}/roll`, {
      token: owner.token(),
      json: { grace_seconds: 86_400 },
    });
    secrets.push(rolled.body.secret);
    assert.equal((await profileWith(merchantId, first.secret)).status, 200);

    const revoke = await call('DELETE', `/merchants/${merchantId}/api-keys/${rolled.body.api_key.id}`, { token: owner.token() });
    assert.equal(revoke.status, 204);
    assert.equal(revoke.text, '');
    for (const secret of [rolled.body.secret, first.secret]) {
      const res = await profileWith(merchantId, secret);
      assert.equal(res.status, 401);
      assert.equal((res.body as ErrorBody).error.code, 'invalid_token');
    }
    const listed = await call<KeyList>('GET', `/merchants/${merchantId}/api-keys`, { token: owner.token() });
    assert.ok(listed.body.items.every((k) => k.revoked_at !== null && Date.parse(k.revoked_at) <= Date.now()));
    assert.equal(
      (await call('DELETE', `/merchants/${merchantId}/api-keys/${rolled.body.api_key.id}`, { token: owner.token() })).status,
      204,
    );
    assert.equal((await call('DELETE', `/merchants/${merchantId}/api-keys/unknown-key`, { token: owner.token() })).status, 404);
    assert.equal(
      (await call('POST', `/merchants/${merchantId}/api-keys/${first.api_key.id}/roll`, { token: owner.token(), json: {} })).status,
      409,
    );
  });

  it('rejects grace_seconds outside 0-86400 with 422', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const { api_key } = await issue(owner, merchantId);
    for (const grace_seconds of [-1, 86_401, 1.5, '60']) {
      const res = await call('POST', `/merchants/${merchantId}/api-keys/${api_key.id}/roll`, {
        token: owner.token(),
        json: { grace_seconds },
      });
      assert.equal(res.status, 422, String(grace_seconds));
    }
  });

  it('leaves exactly one live successor when ten rolls of one key arrive at once', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const original = await issue(owner, merchantId);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        call<IssuedKey>('POST', `/merchants/${merchantId}/api-keys/${original.api_key.id}/roll`, {
          token: owner.token(),
          json: { grace_seconds: 0 },
        }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [201, ...Array<number>(9).fill(409)]);
    const winner = answers.find((a) => a.status === 201)!.body;
    secrets.push(winner.secret);
    const list = await call<KeyList>('GET', `/merchants/${merchantId}/api-keys`, { token: owner.token() });
    const live = list.body.items.filter((k) => k.revoked_at === null);
    assert.deepEqual(
      live.map((k) => k.id),
      [winner.api_key.id],
    );
    assert.equal(list.body.items.length, 2);
    assert.equal((await profileWith(merchantId, winner.secret)).status, 200);
  });

  it('answers 1,000 random mpk_ secrets with 401 invalid_token', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    await issue(owner, merchantId);
    for (let batch = 0; batch < 20; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => profileWith(merchantId, `mpk_${randomBytes(32).toString('base64url')}`)),
      );
      for (const res of answers) {
        assert.equal(res.status, 401);
        assert.equal((res.body as ErrorBody).error.code, 'invalid_token');
      }
    }
  });

  it('never writes a key’s secret to a log line or an error message', async () => {
    assert.ok(secrets.length > 10);
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const { secret } = await issue(owner, merchantId);
    // Requests that fail in every way a key can: each answer is checked too.
    const answers = await Promise.all([
      call('GET', `/merchants/${merchantId}/members`, { token: secret }),
      call('GET', '/merchants/other/profile', { token: secret }),
      call('GET', '/merchants/me', { token: secret }),
      call('GET', `/merchants/${merchantId}/profile`, { token: `${secret}x` }),
    ]);
    for (const res of answers) assert.ok(!res.text.includes(secret.slice(12)), res.text);
    const logs = stage.logs.text();
    assert.ok(logs.length > 0);
    for (const known of secrets) assert.ok(!logs.includes(known.slice(12)), 'a secret appeared in the logs');
  });
});

describe('merchant API keys: rate limit', () => {
  const stage = teamsStage({ apiKeyRatePerMinute: 3 });

  it('limits each key on its own: past its rate it gets 429 with Retry-After, while another key still works', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const [busy, quiet] = [await issueKey(stage, owner, merchantId), await issueKey(stage, owner, merchantId)];
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => stage.call('GET', `/merchants/${merchantId}/profile`, { token: busy.secret })),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 429, 429, 429]);
    const refused = answers.find((a) => a.status === 429)!;
    assert.equal((refused.body as ErrorBody).error.code, 'rate_limited');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal((await stage.call('GET', `/merchants/${merchantId}/profile`, { token: quiet.secret })).status, 200);
  });
});
