import assert from 'node:assert/strict';
import { startAuth, type AuthHarness } from './support.js';
import { base32Decode, currentCode, signInWithTotp, startTotp, totpAt, totpUser } from './totp-support.js';

describe('authenticator apps (TOTP)', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth();
  });
  after(() => auth.close());

  it('the tests’ own RFC 6238 code generator matches the RFC’s SHA-1 test vectors', () => {
    // RFC 6238 appendix B: the ASCII key "12345678901234567890", 8 digits.
    const key = Buffer.from('12345678901234567890');
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [time, code] of vectors) assert.equal(totpAt(key, time, 8), code, `T = ${time}`);
    assert.deepEqual(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), key);
  });

  it('starts an enrolment with a base32 secret, an otpauth URI for SHA-1, 6 digits, 30 s, and an SVG QR code', async () => {
    const user = await auth.verifiedUser('enrol@example.com');
    const res = await auth.call('POST', '/auth/mfa/totp', { token: user.access, json: { name: 'Work phone' } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(res.body).sort(), ['factor_id', 'otpauth_uri', 'qr_svg', 'secret']);
    assert.match(res.body.secret, /^[A-Z2-7]{32}$/, '160 bits of base32');
    const uri = new URL(res.body.otpauth_uri);
    assert.equal(uri.protocol, 'otpauth:');
    assert.ok(res.body.otpauth_uri.startsWith('otpauth://totp/Merchant%20Platform:enrol%40example.com?'), res.body.otpauth_uri);
    assert.equal(uri.searchParams.get('secret'), res.body.secret);
    assert.equal(uri.searchParams.get('issuer'), 'Merchant Platform');
    for (const [name, value] of [
      ['algorithm', 'SHA1'],
      ['digits', '6'],
      ['period', '30'],
    ] as [string, string][]) {
      assert.ok([null, value].includes(uri.searchParams.get(name) as string | null), `${name} is ${value} or left to its default`);
    }
    assert.match(res.body.qr_svg, /^<svg[\s\S]*<\/svg>\s*$/);

    const listed = await auth.call('GET', '/auth/mfa/factors', { token: user.access });
    assert.deepEqual(listed.body, { items: [] }, 'an unconfirmed enrolment is not a factor yet');
  });

  it('keeps the secret sealed at rest: the row holds neither the secret nor its bytes', async () => {
    const user = await auth.verifiedUser('sealed@example.com');
    const enrolment = await startTotp(auth, user.access);
    const [rows] = await auth.db.sequelize.query('SELECT secret_sealed FROM totp_factors WHERE id = ?', {
      replacements: [enrolment.factor_id],
    });
    const stored = (rows as { secret_sealed: string }[])[0]!.secret_sealed;
    assert.ok(!stored.includes(enrolment.secret));
    assert.ok(!Buffer.from(stored).includes(base32Decode(enrolment.secret)));
    assert.match(stored, /^v1\./);
  });

  it('confirms with the current code and hands out ten recovery codes with the first factor only', async () => {
    const user = await auth.verifiedUser('confirm@example.com');
    const enrolment = await startTotp(auth, user.access, 'Phone');
    const path = `/auth/mfa/totp/${enrolment.factor_id}/confirm`;
    const wrong = await auth.call('POST', path, { token: user.access, json: { code: currentCode(enrolment.secret, 5) } });
    assert.equal(wrong.status, 422);
    assert.deepEqual(wrong.body, { error: { code: 'invalid_mfa_code', message: 'The code is not valid.' } });

    const res = await auth.call('POST', path, { token: user.access, json: { code: currentCode(enrolment.secret) } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), ['factor', 'recovery_codes']);
    assert.deepEqual(Object.keys(res.body.factor).sort(), ['created_at', 'id', 'last_used_at', 'name', 'type']);
    assert.equal(res.body.factor.id, enrolment.factor_id);
    assert.equal(res.body.factor.type, 'totp');
    assert.equal(res.body.factor.name, 'Phone');
    assert.equal(res.body.recovery_codes.length, 10);
    assert.equal(new Set(res.body.recovery_codes).size, 10);
    for (const code of res.body.recovery_codes) assert.match(code, /^[0-9a-z]{5}-[0-9a-z]{5}$/);

    const again = await auth.call('POST', path, { token: user.access, json: { code: currentCode(enrolment.secret, 1) } });
    assert.equal(again.status, 409, 'a confirmed factor is not confirmed twice');

    // Adding another factor is a *recent* route: with a factor, that means a sign-in that used it.
    const stepped = await signInWithTotp(auth, 'confirm@example.com', enrolment.secret);
    const second = await startTotp(auth, stepped, 'Tablet');
    const secondConfirmed = await auth.call('POST', `/auth/mfa/totp/${second.factor_id}/confirm`, {
      token: stepped,
      json: { code: currentCode(second.secret) },
    });
    assert.equal(secondConfirmed.status, 200, secondConfirmed.text);
    assert.deepEqual(Object.keys(secondConfirmed.body), ['factor'], 'no new recovery codes with a second factor');
    const [rows] = await auth.db.sequelize.query('SELECT code_hash FROM recovery_codes WHERE user_id = ?', { replacements: [user.id] });
    const hashes = (rows as { code_hash: string }[]).map((r) => r.code_hash);
    assert.equal(hashes.length, 10);
    for (const code of res.body.recovery_codes) assert.ok(!hashes.some((hash) => hash.includes(code.replace('-', ''))), 'stored hashed');
  });

  it('accepts a code one step early or late, and no further', async () => {
    for (const [steps, status] of [
      [-1, 200],
      [1, 200],
      [-2, 422],
      [2, 422],
    ] as const) {
      const user = await auth.verifiedUser(`drift${steps + 2}@example.com`);
      const enrolment = await startTotp(auth, user.access);
      const res = await auth.call('POST', `/auth/mfa/totp/${enrolment.factor_id}/confirm`, {
        token: user.access,
        json: { code: currentCode(enrolment.secret, steps) },
      });
      assert.equal(res.status, status, `${steps} steps`);
    }
  });

  it('answers 404 for another user’s enrolment and leaves it unconfirmed', async () => {
    const owner = await auth.verifiedUser('owner@example.com');
    const other = await auth.verifiedUser('other@example.com');
    const enrolment = await startTotp(auth, owner.access);
    const res = await auth.call('POST', `/auth/mfa/totp/${enrolment.factor_id}/confirm`, {
      token: other.access,
      json: { code: currentCode(enrolment.secret) },
    });
    assert.equal(res.status, 404);
    const confirmed = await auth.call('POST', `/auth/mfa/totp/${enrolment.factor_id}/confirm`, {
      token: owner.access,
      json: { code: currentCode(enrolment.secret) },
    });
    assert.equal(confirmed.status, 200, 'the owner can still confirm it');
  });

  it('lists confirmed factors and deletes one with 204, another user’s with 404', async () => {
    const user = await totpUser(auth, 'listing@example.com');
    const other = await auth.verifiedUser('listing-other@example.com');
    const listed = await auth.call('GET', '/auth/mfa/factors', { token: user.access });
    assert.equal(listed.status, 200);
    assert.equal(listed.body.items.length, 1);
    assert.deepEqual(Object.keys(listed.body.items[0]).sort(), ['created_at', 'id', 'last_used_at', 'name', 'type']);
    assert.equal(listed.body.items[0].type, 'totp');
    assert.equal(listed.body.items[0].name, 'Authenticator app');
    assert.ok(listed.body.items[0].last_used_at, 'confirming used it');

    const foreign = await auth.call('DELETE', `/auth/mfa/factors/${user.factorId}`, { token: other.access });
    assert.equal(foreign.status, 404);
    const singleFactor = await auth.call('DELETE', `/auth/mfa/factors/${user.factorId}`, { token: user.access });
    assert.equal(singleFactor.body.error.code, 'step_up_required', 'removing a factor needs a sign-in that used one');
    const stepped = await signInWithTotp(auth, 'listing@example.com', user.secret);
    const removed = await auth.call('DELETE', `/auth/mfa/factors/${user.factorId}`, { token: stepped });
    assert.equal(removed.status, 204);
    assert.deepEqual((await auth.call('GET', '/auth/mfa/factors', { token: stepped })).body, { items: [] });
    assert.equal((await auth.call('DELETE', `/auth/mfa/factors/${user.factorId}`, { token: stepped })).status, 404);
    assert.equal((await auth.signIn('listing@example.com')).status, 200, 'without a factor, the password alone signs in again');
  });

  it('replaces the recovery codes on request, and refuses with 409 without a factor', async () => {
    const bare = await auth.verifiedUser('bare@example.com');
    const refused = await auth.call('POST', '/auth/mfa/recovery-codes', { token: bare.access });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'conflict');

    const user = await totpUser(auth, 'renew@example.com');
    const renewed = await auth.call('POST', '/auth/mfa/recovery-codes', {
      token: await signInWithTotp(auth, 'renew@example.com', user.secret),
    });
    assert.equal(renewed.status, 200, renewed.text);
    assert.equal(renewed.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(renewed.body), ['recovery_codes']);
    assert.equal(renewed.body.recovery_codes.length, 10);
    assert.ok(!renewed.body.recovery_codes.some((code: string) => user.recoveryCodes.includes(code)));
  });
});
