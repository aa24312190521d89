import { assertError } from '@merchant-platform/common/testing/http-server';
import assert from 'node:assert/strict';
import { newAuthenticator, ORIGIN, registerPasskey, signInWithPasskey } from './passkeys-support.js';
import { startAuth, type AuthHarness } from './support.js';

describe('passkey registration', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth();
  });
  after(() => auth.close());

  it('gives creation options bound to the caller that demand a discoverable, user-verifying passkey', async () => {
    const user = await auth.verifiedUser('options@example.com');
    const res = await auth.call('POST', '/auth/passkeys/registration/options', { token: user.access });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const options = res.body;
    assert.deepEqual(options.rp, { name: 'Merchant Platform', id: 'localhost' });
    assert.deepEqual(options.user, {
      id: Buffer.from(user.id).toString('base64url'),
      name: 'options@example.com',
      displayName: 'Ada Lovelace',
    });
    assert.equal(options.authenticatorSelection.residentKey, 'required');
    assert.equal(options.authenticatorSelection.userVerification, 'required');
    assert.equal(options.attestation, 'none');
    assert.deepEqual(options.excludeCredentials, []);
    assert.ok(
      options.pubKeyCredParams.some((p: { alg: number }) => p.alg === -7),
      'ES256 is offered',
    );
    assert.match(options.challenge, /^[A-Za-z0-9_-]{43}$/, '32 random bytes');
  });

  it('registers a passkey with 201 and its factor, lists it in auth_methods and excludes it from later options', async () => {
    const user = await auth.verifiedUser('register@example.com');
    const authenticator = newAuthenticator();
    const res = await registerPasskey(auth, user.access, authenticator, {}, 'Work laptop');
    assert.equal(res.status, 201, res.text);
    const { factor } = res.body;
    assert.deepEqual(Object.keys(res.body), ['factor']);
    assert.deepEqual(Object.keys(factor).sort(), ['created_at', 'id', 'last_used_at', 'name', 'type']);
    assert.equal(factor.type, 'passkey');
    assert.equal(factor.name, 'Work laptop');
    assert.equal(factor.last_used_at, null);

    const me = await auth.call('GET', '/auth/me', { token: user.access });
    assert.deepEqual(me.body.user.auth_methods, ['password', 'passkey']);
    // With a passkey, adding another needs a sign-in that used it (step-up).
    const withPasskey = (await signInWithPasskey(auth, authenticator)).body.access_token as string;
    const again = await auth.call('POST', '/auth/passkeys/registration/options', { token: withPasskey });
    assert.deepEqual(again.body.excludeCredentials, [{ id: authenticator.credentialIds[0], type: 'public-key', transports: ['internal'] }]);

    const unnamed = await registerPasskey(auth, withPasskey, newAuthenticator());
    assert.equal(unnamed.body.factor.name, 'Passkey');
  });

  it('refuses a response from another origin, for another RP id, without user verification or for another challenge with 422 naming the check', async () => {
    const user = await auth.verifiedUser('refused@example.com');
    const cases = [
      [{ origin: 'https://evil.example' }, 'The response comes from an origin this service does not accept.'],
      [{ origin: 'http://localhost:9999' }, 'The response comes from an origin this service does not accept.'],
      [{ rpId: 'evil.example' }, 'The passkey was made for another relying party id.'],
      [{ userVerified: false }, 'The authenticator did not verify the user (PIN or biometrics are required).'],
      [
        { challenge: Buffer.alloc(32, 7).toString('base64url') },
        'The challenge is unknown, already used, expired or was issued to someone else; ask for new options.',
      ],
    ] as const;
    for (const [knobs, message] of cases) {
      const res = await registerPasskey(auth, user.access, newAuthenticator(), knobs);
      assert.equal(res.status, 422, JSON.stringify(knobs));
      assert.deepEqual(res.body, {
        error: { code: 'validation_failed', message: 'The passkey could not be registered.', details: [{ path: 'response', message }] },
      });
    }
    const me = await auth.call('GET', '/auth/me', { token: user.access });
    assert.deepEqual(me.body.user.auth_methods, ['password'], 'nothing was registered');
  });

  it('accepts a registration challenge once, and only from the user it was issued to', async () => {
    const ada = await auth.verifiedUser('ada-challenge@example.com');
    const eve = await auth.verifiedUser('eve-challenge@example.com');
    const options = await auth.call('POST', '/auth/passkeys/registration/options', { token: ada.access });
    const response = newAuthenticator().createCredential(options.body);

    const stolen = await auth.call('POST', '/auth/passkeys/registration', { token: eve.access, json: { response } });
    assert.equal(stolen.status, 422);
    assert.equal(stolen.body.error.code, 'validation_failed');

    const [first, second] = await Promise.all(
      [1, 2].map(() => auth.call('POST', '/auth/passkeys/registration', { token: ada.access, json: { response } })),
    );
    assert.deepEqual([first!.status, second!.status].sort(), [201, 422], 'two concurrent uses of one challenge: one wins');
    const replay = await auth.call('POST', '/auth/passkeys/registration', { token: ada.access, json: { response } });
    assertError(replay, 422, 'validation_failed');
  });

  it('answers malformed registration bodies with 422 and details, never a 5xx', async () => {
    const user = await auth.verifiedUser('malformed-registration@example.com');
    const options = await auth.call('POST', '/auth/passkeys/registration/options', { token: user.access });
    const good = newAuthenticator().createCredential(options.body);
    const challengeJson = (challenge: unknown) =>
      Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge, origin: ORIGIN })).toString('base64url');
    const bodies: [unknown, string][] = [
      [{}, 'response'],
      [{ response: 'not an object' }, 'response'],
      [{ response: { ...good, type: 'password' } }, 'response.type'],
      [{ response: { ...good, id: 'not base64url!' } }, 'response.id'],
      [{ response: { ...good, response: { ...good.response, attestationObject: undefined } } }, 'response.response.attestationObject'],
      [{ response: { ...good, response: { ...good.response, transports: ['usb,internal'] } } }, 'response.response.transports.0'],
      [{ name: '', response: good }, 'name'],
      [{ response: { ...good, response: { ...good.response, clientDataJSON: 'bm90IGpzb24' } } }, 'response'],
      [{ response: { ...good, response: { ...good.response, clientDataJSON: challengeJson(42) } } }, 'response'],
    ];
    for (const [body, path] of bodies) {
      const res = await auth.call('POST', '/auth/passkeys/registration', { token: user.access, json: body });
      assert.equal(res.status, 422, `${JSON.stringify(body).slice(0, 80)}: ${res.text}`);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.ok(
        res.body.error.details.some((d: { path: string }) => d.path === path),
        `${path} in ${res.text}`,
      );
    }
    // The right challenge with an attestation object that is not CBOR: the challenge is spent, the answer is 422.
    const garbage = await auth.call('POST', '/auth/passkeys/registration', {
      token: user.access,
      json: { response: { ...good, response: { ...good.response, attestationObject: Buffer.from('not cbor').toString('base64url') } } },
    });
    assert.equal(garbage.status, 422, garbage.text);
    assert.deepEqual(garbage.body.error.details, [
      { path: 'response', message: 'The registration response is not a valid WebAuthn attestation.' },
    ]);
  });

  it('needs a bearer token for both steps', async () => {
    const options = await auth.call('POST', '/auth/passkeys/registration/options');
    assert.equal(options.status, 401);
    assert.equal(options.body.error.code, 'unauthenticated');
    const finish = await auth.call('POST', '/auth/passkeys/registration', { json: {} });
    assertError(finish, 401, 'unauthenticated');
  });
});
