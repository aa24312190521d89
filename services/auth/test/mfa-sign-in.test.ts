import { assertError } from '@merchant-platform/common/testing/http-server';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { passkeyUser, registerPasskey, newAuthenticator } from './passkeys-support.js';
import { startAuth, tally, type AuthHarness } from './support.js';
import { currentCode, mfaToken, totpUser, verify, type MfaRequiredBody } from './totp-support.js';

const amrOf = (accessToken: string) => (jwt.decode(accessToken) as { amr?: string[] }).amr;

describe('sign-in with a second factor', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth();
  });
  after(() => auth.close());

  it('answers a right password with 401 mfa_required carrying a challenge, and the TOTP code finishes it with amr pwd, otp, mfa', async () => {
    const user = await totpUser(auth, 'second@example.com');
    const res = await auth.signIn<MfaRequiredBody>('second@example.com');
    assert.equal(res.status, 401, res.text);
    assert.deepEqual(Object.keys(res.body), ['error']);
    assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'message', 'mfa']);
    assert.equal(res.body.error.code, 'mfa_required');
    assert.deepEqual(Object.keys(res.body.error.mfa!).sort(), ['expires_in', 'factors', 'mfa_token']);
    assert.deepEqual(res.body.error.mfa!.factors, [{ id: user.factorId, type: 'totp' }]);
    assert.equal(res.body.error.mfa!.expires_in, 300);
    assert.ok(Buffer.from(res.body.error.mfa!.mfa_token, 'base64url').length >= 32);

    const finished = await verify(auth, { mfa_token: res.body.error.mfa!.mfa_token, code: currentCode(user.secret, 1) });
    assert.equal(finished.status, 200, finished.text);
    assert.equal(finished.headers.get('cache-control'), 'no-store');
    assert.deepEqual(amrOf(finished.body.access_token), ['pwd', 'otp', 'mfa']);
    assert.equal((jwt.decode(finished.body.access_token) as { auth_method: string }).auth_method, 'password');

    const replayed = await verify(auth, { mfa_token: res.body.error.mfa!.mfa_token, code: currentCode(user.secret, 1) });
    assert.equal(replayed.status, 401, 'an mfa_token serves once');
    assert.equal(replayed.body.error.code, 'invalid_token');
  });

  it('refuses a wrong password as before, without a challenge', async () => {
    await totpUser(auth, 'wrong-password@example.com');
    const res = await auth.signIn<MfaRequiredBody>('wrong-password@example.com', 'Wrong-Horse1!');
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: { code: 'invalid_credentials', message: 'The email or password is incorrect.' } });
  });

  it('accepts one TOTP code once: of ten concurrent verifies with it, one gets tokens and nine 422', async () => {
    const user = await totpUser(auth, 'same-code@example.com');
    const tokens = await Promise.all(Array.from({ length: 10 }, () => mfaToken(auth, 'same-code@example.com')));
    const code = currentCode(user.secret, 1);
    const results = await Promise.all(tokens.map((mfa_token) => verify(auth, { mfa_token, code })));
    assert.deepEqual(tally(results.map((r) => r.status)), { 200: 1, 422: 9 });
    for (const refused of results.filter((r) => r.status === 422)) assert.equal(refused.body.error.code, 'invalid_mfa_code');
  });

  it('takes a recovery code once: of ten concurrent uses of one, one gets tokens with amr otp', async () => {
    const user = await totpUser(auth, 'recovery@example.com');
    const tokens = await Promise.all(Array.from({ length: 10 }, () => mfaToken(auth, 'recovery@example.com')));
    const code = user.recoveryCodes[0]!.toUpperCase();
    const results = await Promise.all(tokens.map((mfa_token) => verify(auth, { mfa_token, code })));
    assert.deepEqual(tally(results.map((r) => r.status)), { 200: 1, 422: 9 });
    assert.deepEqual(amrOf(results.find((r) => r.status === 200)!.body.access_token), ['pwd', 'otp', 'mfa']);
    const other = await verify(auth, {
      mfa_token: await mfaToken(auth, 'recovery@example.com'),
      code: user.recoveryCodes[1]!.replace('-', ' '),
    });
    assert.equal(other.status, 200, 'the other codes still work, typed with a space');
  });

  it('allows five tries per challenge even when ten wrong codes arrive at once; after them the right code gets 401', async () => {
    const user = await totpUser(auth, 'five-tries@example.com');
    const mfa_token = await mfaToken(auth, 'five-tries@example.com');
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => verify(auth, { mfa_token, code: String(100000 + i) })));
    assert.deepEqual(tally(results.map((r) => r.status)), { 401: 5, 422: 5 });
    const right = await verify(auth, { mfa_token, code: currentCode(user.secret, 1) });
    assert.equal(right.status, 401);
    assert.equal(right.body.error.code, 'invalid_token');
    const [rows] = await auth.db.sequelize.query('SELECT MAX(attempts) AS n FROM mfa_challenges WHERE user_id = ?', {
      replacements: [user.id],
    });
    assert.equal(Number((rows as { n: number }[])[0]!.n), 5, 'the counter stopped at five');
  });

  it('refuses an unknown or expired mfa_token with 401 invalid_token, and a body with neither or both proofs with 422', async () => {
    const user = await totpUser(auth, 'expired@example.com');
    assertError(await verify(auth, { mfa_token: 'not-a-token', code: '123456' }), 401, 'invalid_token');
    const mfa_token = await mfaToken(auth, 'expired@example.com');
    assert.equal((await verify(auth, { mfa_token })).status, 422);
    assert.equal((await verify(auth, { mfa_token, code: '123456', passkey_response: {} })).status, 422);
    await auth.db.sequelize.query('UPDATE mfa_challenges SET expires_at = ? WHERE user_id = ?', {
      replacements: [new Date(Date.now() - 1000), user.id],
    });
    const expired = await verify(auth, { mfa_token, code: currentCode(user.secret, 1) });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.code, 'invalid_token');
  });

  it('limits wrong codes per user across challenges with 429', async () => {
    const limited = await startAuth({ RATE_LIMIT_MFA_FAILURES_PER_USER: 3 });
    try {
      const user = await totpUser(limited, 'guesser@example.com');
      for (let i = 0; i < 3; i++) {
        const res = await verify(limited, { mfa_token: await mfaToken(limited, 'guesser@example.com'), code: String(200000 + i) });
        assertError(res, 422, 'invalid_mfa_code');
      }
      const res = await verify(limited, { mfa_token: await mfaToken(limited, 'guesser@example.com'), code: currentCode(user.secret, 1) });
      assert.equal(res.status, 429);
      assert.equal(res.body.error.code, 'rate_limited');
      assert.ok(Number(res.headers.get('retry-after')) >= 1);
    } finally {
      await limited.close();
    }
  });

  it('takes a passkey as the second factor: options bound to the sign-in, answered through /auth/mfa/verify with amr pwd, hwk, mfa', async () => {
    const user = await passkeyUser(auth, 'passkey-second@example.com');
    const res = await auth.signIn<MfaRequiredBody>('passkey-second@example.com');
    assert.equal(res.status, 401, res.text);
    assert.deepEqual(res.body.error.mfa!.factors, [{ id: user.factor.id, type: 'passkey' }]);
    const mfa_token = res.body.error.mfa!.mfa_token;

    const options = await auth.call('POST', '/auth/passkeys/authentication/options', { json: { mfa_token } });
    assert.equal(options.status, 200, options.text);
    assert.deepEqual(
      options.body.options.allowCredentials.map((c: { id: string }) => c.id),
      user.authenticator.credentialIds,
    );
    const response = user.authenticator.getAssertion(options.body.options);
    const alone = await auth.call('POST', '/auth/passkeys/authentication', { json: { challenge_id: options.body.challenge_id, response } });
    assertError(alone, 401, 'invalid_credentials', 'a second-factor challenge is no passkey sign-in of its own');

    const again = await auth.call('POST', '/auth/passkeys/authentication/options', { json: { mfa_token } });
    const finished = await verify(auth, { mfa_token, passkey_response: user.authenticator.getAssertion(again.body.options) });
    assert.equal(finished.status, 200, finished.text);
    assert.deepEqual(amrOf(finished.body.access_token), ['pwd', 'hwk', 'mfa']);
    const used = await auth.call('POST', '/auth/passkeys/authentication/options', { json: { mfa_token } });
    assertError(used, 401, 'invalid_token', 'the finished sign-in gives no more options');
  });

  it('counts another user’s passkey, or one without options, as a wrong try (422)', async () => {
    await passkeyUser(auth, 'victim@example.com');
    const intruder = await auth.verifiedUser('intruder@example.com');
    const intruderKey = newAuthenticator();
    assert.equal((await registerPasskey(auth, intruder.access, intruderKey)).status, 201);

    const mfa_token = await mfaToken(auth, 'victim@example.com');
    const options = await auth.call('POST', '/auth/passkeys/authentication/options', { json: { mfa_token } });
    // A client that ignores allowCredentials and signs with its own passkey.
    const wrongKey = await verify(auth, {
      mfa_token,
      passkey_response: intruderKey.getAssertion({ ...options.body.options, allowCredentials: [] }),
    });
    assert.equal(wrongKey.status, 422);
    assert.equal(wrongKey.body.error.code, 'invalid_mfa_code');

    const fresh = await mfaToken(auth, 'victim@example.com');
    const unasked = await verify(auth, {
      mfa_token: fresh,
      passkey_response: intruderKey.getAssertion({ challenge: 'AAAA', rpId: 'localhost' }),
    });
    assertError(unasked, 422, 'invalid_mfa_code');
  });
});
