import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { newAuthenticator, passkeyUser, signInOptions, signInWithPasskey } from './passkeys-support.js';
import { startAuth, type AuthHarness } from './support.js';

const claimsOf = (accessToken: string) => jwt.decode(accessToken) as Record<string, unknown>;

const refusedWith401 = (res: { status: number; body: unknown }, what: string) => {
  assert.equal(res.status, 401, what);
  assert.deepEqual(res.body, { error: { code: 'invalid_credentials', message: 'The passkey could not be verified.' } }, what);
};

describe('passkey sign-in', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth();
  });
  after(() => auth.close());

  it('signs in with a discoverable passkey alone: a token pair whose access token says passkey and hwk, and a refresh that keeps passkey', async () => {
    const user = await passkeyUser(auth, 'discoverable@example.com');
    const { options } = await signInOptions(auth);
    assert.deepEqual(options.allowCredentials, [], 'no email: any discoverable passkey may answer');

    const res = await signInWithPasskey(auth, user.authenticator);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'refresh_expires_in', 'refresh_token', 'token_type']);
    const claims = claimsOf(res.body.access_token);
    assert.equal(claims.sub, user.id);
    assert.equal(claims.auth_method, 'passkey');
    assert.deepEqual(claims.amr, ['hwk']);

    const me = await auth.call('GET', '/auth/me', { token: res.body.access_token });
    assert.equal(me.status, 200, 'auth accepts its own passkey token');
    assert.deepEqual(me.body.user.auth_methods, ['password', 'passkey']);
    const refreshed = await auth.call('POST', '/auth/refresh', { json: { refresh_token: res.body.refresh_token } });
    assert.equal(claimsOf(refreshed.body.access_token).auth_method, 'passkey');
  });

  it('lists the account’s passkeys for an email, and answers an unknown email or one without passkeys in the same shape', async () => {
    const user = await passkeyUser(auth, 'listed@example.com');
    await auth.verifiedUser('no-passkey@example.com');
    const known = await signInOptions(auth, 'listed@example.com');
    assert.deepEqual(known.options.allowCredentials, [
      { id: user.authenticator.credentialIds[0], type: 'public-key', transports: ['internal'] },
    ]);
    const unknown = await signInOptions(auth, 'nobody@example.com');
    const withoutPasskey = await signInOptions(auth, 'no-passkey@example.com');
    for (const answer of [unknown, withoutPasskey]) {
      assert.deepEqual(Object.keys(answer).sort(), Object.keys(known).sort());
      assert.deepEqual(Object.keys(answer.options).sort(), Object.keys(known.options).sort());
      assert.equal(answer.options.allowCredentials!.length, 1);
      assert.match(answer.options.allowCredentials![0]!.id, /^[A-Za-z0-9_-]{43}$/, 'looks like a real credential id');
    }
    const again = await signInOptions(auth, 'nobody@example.com');
    assert.deepEqual(
      again.options.allowCredentials,
      unknown.options.allowCredentials,
      'the decoy is stable, so asking twice tells nothing',
    );

    const res = await signInWithPasskey(auth, user.authenticator, { email: 'listed@example.com' });
    assert.equal(res.status, 200, res.text);
  });

  it('refuses a replayed assertion with 401 invalid_credentials', async () => {
    const user = await passkeyUser(auth, 'replay@example.com');
    const { challenge_id, options } = await signInOptions(auth);
    const response = user.authenticator.getAssertion(options);
    const first = await auth.call('POST', '/auth/passkeys/authentication', { json: { challenge_id, response } });
    assert.equal(first.status, 200);
    refusedWith401(await auth.call('POST', '/auth/passkeys/authentication', { json: { challenge_id, response } }), 'same challenge again');
    const fresh = await signInOptions(auth);
    refusedWith401(
      await auth.call('POST', '/auth/passkeys/authentication', { json: { challenge_id: fresh.challenge_id, response } }),
      'old assertion on a new challenge',
    );
  });

  it('lets exactly one of five concurrent sign-ins with one challenge through', async () => {
    const user = await passkeyUser(auth, 'concurrent@example.com');
    const { challenge_id, options } = await signInOptions(auth);
    const response = user.authenticator.getAssertion(options);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => auth.call('POST', '/auth/passkeys/authentication', { json: { challenge_id, response } })),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 401, 401, 401, 401]);
  });

  it('refuses a sign counter that does not move forward, counts it on the credential and logs a warning without secrets', async () => {
    const user = await passkeyUser(auth, 'cloned@example.com');
    assert.equal((await signInWithPasskey(auth, user.authenticator)).status, 200, 'counter 1');
    assert.equal((await signInWithPasskey(auth, user.authenticator)).status, 200, 'counter 2');
    const { challenge_id, options } = await signInOptions(auth);
    const cloned = user.authenticator.getAssertion(options, { counter: 2 });
    refusedWith401(
      await auth.call('POST', '/auth/passkeys/authentication', { json: { challenge_id, response: cloned } }),
      'counter 2 again',
    );
    refusedWith401(await signInWithPasskey(auth, user.authenticator, { knobs: { counter: 1 } }), 'counter 1');

    const [rows] = await auth.db.sequelize.query(
      `SELECT sign_count, counter_regressions FROM passkey_credentials WHERE user_id = '${user.id}'`,
    );
    assert.deepEqual(
      (rows as { sign_count: number | string; counter_regressions: number }[]).map((r) => [
        Number(r.sign_count),
        Number(r.counter_regressions),
      ]),
      [[2, 2]],
    );
    const warnings = auth.logs.lines.filter((line) => line.includes('sign counter went backwards'));
    assert.equal(warnings.length, 2);
    const warning = JSON.parse(warnings[0]!);
    assert.equal(warning.userId, user.id);
    assert.equal(warning.storedCounter, 2);
    assert.equal(warning.presentedCounter, 2);
    for (const secret of [
      options.challenge,
      cloned.response.signature,
      cloned.response.clientDataJSON,
      cloned.response.authenticatorData,
    ]) {
      assert.ok(!warnings.join('\n').includes(secret), 'the warning carries no part of the assertion');
    }
    assert.equal(
      (await signInWithPasskey(auth, user.authenticator, { knobs: { counter: 3 } })).status,
      200,
      'a real next counter still works',
    );
  });

  it('refuses assertions from another origin, for another RP id, without user verification, tampered with or for another challenge', async () => {
    const user = await passkeyUser(auth, 'broken@example.com');
    const cases = [
      [{ origin: 'https://evil.example' }, 'origin'],
      [{ rpId: 'evil.example' }, 'rp_id'],
      [{ userVerified: false }, 'user_verification'],
      [{ tamper: true }, 'signature'],
      [{ challenge: Buffer.alloc(32, 9).toString('base64url') }, 'challenge'],
    ] as const;
    for (const [knobs, reason] of cases) {
      refusedWith401(await signInWithPasskey(auth, user.authenticator, { knobs }), JSON.stringify(knobs));
      const refusal = JSON.parse(auth.logs.lines.filter((line) => line.includes('passkey sign-in refused')).at(-1)!);
      assert.equal(refusal.reason, reason, 'refused by the check the knob breaks');
    }
    assert.equal((await signInWithPasskey(auth, user.authenticator)).status, 200, 'the honest authenticator still signs in');
  });

  it('refuses an unknown passkey, and another account’s passkey on a challenge bound to an email', async () => {
    const ada = await passkeyUser(auth, 'ada-bound@example.com');
    const eve = await passkeyUser(auth, 'eve-bound@example.com');
    const stranger = newAuthenticator();
    stranger.createCredential({ challenge: 'AAAA', rp: { id: 'localhost', name: 'x' }, user: { id: 'eA', name: 'x', displayName: 'x' } });
    refusedWith401(await signInWithPasskey(auth, stranger), 'a credential never registered');

    const { challenge_id, options } = await signInOptions(auth, 'ada-bound@example.com');
    const response = eve.authenticator.getAssertion({ ...options, allowCredentials: [] });
    refusedWith401(
      await auth.call('POST', '/auth/passkeys/authentication', { json: { challenge_id, response } }),
      'eve on ada’s challenge',
    );
    assert.equal((await signInWithPasskey(auth, ada.authenticator, { email: 'ada-bound@example.com' })).status, 200);
  });

  it('answers a disabled user’s valid passkey with 403 account_disabled', async () => {
    const user = await passkeyUser(auth, 'disabled-passkey@example.com');
    const admin = await auth.verifiedUser('boss@example.com');
    const disabled = await auth.call('PATCH', `/auth/users/${user.id}`, { token: admin.access, json: { disabled: true } });
    assert.equal(disabled.status, 200, disabled.text);
    const res = await signInWithPasskey(auth, user.authenticator);
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'account_disabled');
  });

  it('answers malformed sign-in bodies with 422 and details, and well-formed nonsense with 401, never a 5xx', async () => {
    const user = await passkeyUser(auth, 'malformed-sign-in@example.com');
    const { challenge_id, options } = await signInOptions(auth);
    const good = user.authenticator.getAssertion(options);
    const bodies: [unknown, string][] = [
      [{}, 'challenge_id'],
      [{ challenge_id, response: [] }, 'response'],
      [{ challenge_id, response: { ...good, rawId: undefined } }, 'response.rawId'],
      [{ challenge_id, response: { ...good, response: { ...good.response, signature: 'a+b/c' } } }, 'response.response.signature'],
      [{ challenge_id: 7, response: good }, 'challenge_id'],
    ];
    for (const [body, path] of bodies) {
      const res = await auth.call('POST', '/auth/passkeys/authentication', { json: body });
      assert.equal(res.status, 422, res.text);
      assert.ok(
        res.body.error.details.some((d: { path: string }) => d.path === path),
        `${path} in ${res.text}`,
      );
    }
    const email = await auth.call('POST', '/auth/passkeys/authentication/options', { json: { email: 'not an email' } });
    assert.equal(email.status, 422);

    const nonsense = [
      { ...good, response: { ...good.response, authenticatorData: 'AAAA' } },
      { ...good, response: { ...good.response, clientDataJSON: 'bm90IGpzb24' } },
      { ...good, response: { ...good.response, signature: 'AAAA' } },
      { ...good, response: { ...good.response, userHandle: 'c29tZW9uZSBlbHNl' } },
      { ...good, id: 'AAAA', rawId: 'AAAA' },
    ];
    for (const response of nonsense) {
      const fresh = await signInOptions(auth);
      refusedWith401(
        await auth.call('POST', '/auth/passkeys/authentication', { json: { challenge_id: fresh.challenge_id, response } }),
        JSON.stringify(response).slice(0, 60),
      );
    }
    refusedWith401(
      await auth.call('POST', '/auth/passkeys/authentication', { json: { challenge_id: 'no-such-challenge', response: good } }),
      'unknown challenge id',
    );
  });

  it('keeps challenges, assertions and tokens out of the logs and stores only a hash of each challenge', async () => {
    const before = auth.logs.lines.length;
    const user = await passkeyUser(auth, 'quiet@example.com');
    const { challenge_id, options } = await signInOptions(auth);
    const assertion = user.authenticator.getAssertion(options);
    const pair = await auth.call('POST', '/auth/passkeys/authentication', { json: { challenge_id, response: assertion } });
    assert.equal(pair.status, 200);
    await signInWithPasskey(auth, user.authenticator, { knobs: { tamper: true } });

    const logs = auth.logs.lines.slice(before).join('\n');
    assert.ok(logs.includes('passkey registered') && logs.includes('passkey sign-in refused'), 'the flow was logged');
    for (const secret of [
      options.challenge,
      assertion.response.signature,
      assertion.response.clientDataJSON,
      assertion.response.authenticatorData,
      pair.body.access_token,
      pair.body.refresh_token,
    ]) {
      assert.ok(!logs.includes(secret), 'a log line carries a secret');
    }
    const [rows] = await auth.db.sequelize.query(`SELECT challenge_hash FROM webauthn_challenges WHERE id = '${challenge_id}'`);
    const stored = (rows as { challenge_hash: string }[])[0]!.challenge_hash;
    assert.notEqual(stored, options.challenge);
    assert.match(stored, /^[0-9a-f]{64}$/);
  });
});
