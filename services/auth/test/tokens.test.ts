import { assertError } from '@merchant-platform/common/testing/http-server';
import assert from 'node:assert/strict';
import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { z } from 'zod';
import type { Jwks } from '../src/http/schemas.js';
import bcrypt from 'bcrypt';
import type { ErrorBody } from '@merchant-platform/common/testing/http-server';
import { startAuth, STRONG_PASSWORD, TOKEN_CLAIMS, type AuthHarness, type TokenPairView, type UserBody } from './support.js';

describe('tokens', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth({ RATE_LIMIT_TOKEN_FAILURES_PER_ACCOUNT: 3 });
  });
  after(() => auth.close());

  describe('POST /auth/token', () => {
    it('signs in with JSON and answers a pair of exactly the contract fields, not cacheable', async () => {
      await auth.register('json@example.com');
      const res = await auth.signIn('json@example.com');
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'refresh_expires_in', 'refresh_token', 'token_type']);
      assert.equal(res.body.token_type, 'bearer');
      assert.equal(res.body.expires_in, 900);
      assert.equal(res.body.refresh_expires_in, 30 * 86400);
      assert.ok(Buffer.from(res.body.refresh_token, 'base64url').length >= 32, 'at least 256 bits');
      assert.equal(res.headers.get('cache-control'), 'no-store');
    });

    it('issues an RS256 access token with a thumbprint kid and exactly the contract claims', async () => {
      const registered = await auth.register('claims@example.com', { middle_name: 'B.' });
      const res = await auth.signIn('claims@example.com');
      const { header, payload } = jwt.decode(res.body.access_token, { complete: true }) as jwt.Jwt & { payload: jwt.JwtPayload };
      assert.equal(header.alg, 'RS256');
      assert.equal(header.kid, auth.keys.kid);
      assert.deepEqual(Object.keys(payload).sort(), TOKEN_CLAIMS);
      assert.deepEqual(payload.amr, ['pwd']);
      assert.equal(payload.sub, registered.body.user.id);
      assert.equal(payload.iss, 'merchant-platform');
      assert.equal(payload.aud, 'merchant-platform');
      assert.equal(payload.email, 'claims@example.com');
      assert.equal(payload.email_verified, false);
      assert.equal(payload.name, 'Ada B. Lovelace');
      assert.deepEqual(payload.roles, ['merchant']);
      assert.equal(payload.auth_method, 'password');
      assert.equal(payload.exp! - payload.iat!, 900);
    });

    it('signs in with the OAuth2 form on the seed alias POST /token', async () => {
      await auth.register('form@example.com');
      const res = await auth.call<TokenPairView>('POST', '/token', {
        body: new URLSearchParams({ grant_type: 'password', username: 'FORM@example.com', password: STRONG_PASSWORD }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(res.status, 200);
      assert.ok(res.body.access_token);
    });

    it('answers a wrong password and an unknown email with the same 401 invalid_credentials', async () => {
      await auth.register('known@example.com');
      const wrong = await auth.signIn<ErrorBody>('known@example.com', 'Wrong-Horse1!');
      const unknown = await auth.signIn<ErrorBody>('nobody@example.com', 'Wrong-Horse1!');
      assertError(wrong, 401, 'invalid_credentials');
      assert.equal(unknown.status, 401);
      assert.deepEqual(wrong.body, unknown.body);
      assert.equal(wrong.body.error.code, 'invalid_credentials');
    });

    it('answers 422 when the email or password is missing', async () => {
      const res = await auth.call<ErrorBody>('POST', '/auth/token', { json: { email: 'x@example.com' } });
      assertError(res, 422, 'validation_failed');
      assert.deepEqual(
        res.body.error.details?.map((d: { path: string }) => d.path),
        ['password'],
      );
    });

    it('rate-limits repeated failures for one account with 429 and Retry-After, even for the right password', async () => {
      await auth.register('guessed@example.com');
      for (let i = 0; i < 3; i++) assertError(await auth.signIn('guessed@example.com', 'Wrong-Horse1!'), 401, 'invalid_credentials');
      const limited = await auth.signIn<ErrorBody>('guessed@example.com');
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error.code, 'rate_limited');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
    });

    it('upgrades a hash of another bcrypt cost at the next sign-in', async () => {
      const { body } = await auth.register('oldhash@example.com');
      const condensed = createHash('sha256').update(STRONG_PASSWORD).digest('base64');
      await auth.db.sequelize.query('UPDATE users SET password_hash = ? WHERE id = ?', {
        replacements: [await bcrypt.hash(condensed, 11), body.user.id],
      });
      assert.equal((await auth.signIn('oldhash@example.com')).status, 200);
      const [rows] = await auth.db.sequelize.query('SELECT password_hash FROM users WHERE id = ?', { replacements: [body.user.id] });
      assert.equal(bcrypt.getRounds((rows as { password_hash: string }[])[0]!.password_hash.replace(/^hmac-sha256:/, '')), 10);
      assert.equal((await auth.signIn('oldhash@example.com')).status, 200);
    });
  });

  describe('refresh tokens', () => {
    it('rotates: a refresh returns a new pair and the old refresh token stops working', async () => {
      await auth.register('rotate@example.com');
      const first = (await auth.signIn('rotate@example.com')).body;
      const second = await auth.call<TokenPairView>('POST', '/auth/refresh', { json: { refresh_token: first.refresh_token } });
      assert.equal(second.status, 200);
      assert.notEqual(second.body.refresh_token, first.refresh_token);
      assert.notEqual(second.body.access_token, first.access_token);
      const viaForm = await auth.call<TokenPairView>('POST', '/auth/token', {
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(viaForm.status, 200, 'the form refresh grant works too');
    });

    it('a reused refresh token revokes its whole family and answers 401 token_reused', async () => {
      await auth.register('reuse@example.com');
      const first = (await auth.signIn('reuse@example.com')).body;
      const second = (await auth.call<TokenPairView>('POST', '/auth/refresh', { json: { refresh_token: first.refresh_token } })).body;
      const replay = await auth.call<ErrorBody>('POST', '/auth/refresh', { json: { refresh_token: first.refresh_token } });
      assert.equal(replay.status, 401);
      assert.equal(replay.body.error.code, 'token_reused');
      const descendant = await auth.call<TokenPairView>('POST', '/auth/refresh', { json: { refresh_token: second.refresh_token } });
      assertError(descendant, 401, 'invalid_token', 'the thief’s or the owner’s newer token dies with the family');
      const otherLogin = await auth.signIn('reuse@example.com');
      assert.equal(
        (await auth.call<TokenPairView>('POST', '/auth/refresh', { json: { refresh_token: otherLogin.body.refresh_token } })).status,
        200,
        'other logins are separate families',
      );
    });

    it('gives at most one 200 to 10 concurrent refreshes of one token', async () => {
      await auth.register('concurrent@example.com');
      const { refresh_token } = (await auth.signIn('concurrent@example.com')).body;
      const results = await Promise.all(
        Array.from({ length: 10 }, () => auth.call<TokenPairView>('POST', '/auth/refresh', { json: { refresh_token } })),
      );
      const ok = results.filter((r) => r.status === 200).length;
      assert.ok(ok <= 1, `${ok} succeeded`);
      assert.ok(
        results.every((r) => r.status === 200 || r.status === 401),
        results.map((r) => r.status).join(','),
      );
    });

    it('answers an unknown refresh token with 401 invalid_token', async () => {
      const res = await auth.call<ErrorBody>('POST', '/auth/refresh', { json: { refresh_token: 'nope' } });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'invalid_token');
    });

    it('logout ends the session, and answers 204 for unknown tokens too', async () => {
      await auth.register('logout@example.com');
      const { refresh_token } = (await auth.signIn('logout@example.com')).body;
      assert.equal((await auth.call<undefined>('POST', '/auth/logout', { json: { refresh_token } })).status, 204);
      assert.equal((await auth.call<undefined>('POST', '/auth/logout', { json: { refresh_token } })).status, 204);
      assert.equal((await auth.call<undefined>('POST', '/auth/logout', { json: { refresh_token: 'unknown' } })).status, 204);
      const after = await auth.call<ErrorBody>('POST', '/auth/refresh', { json: { refresh_token } });
      assert.equal(after.status, 401);
      assert.equal(after.body.error.code, 'invalid_token');
    });

    it('logout-all revokes every refresh token of the user', async () => {
      await auth.register('everywhere@example.com');
      const a = (await auth.signIn('everywhere@example.com')).body;
      const b = (await auth.signIn('everywhere@example.com')).body;
      const res = await auth.call<undefined>('POST', '/auth/logout-all', { token: a.access_token });
      assert.equal(res.status, 204);
      assert.equal(res.text, '');
      for (const { refresh_token } of [a, b]) {
        assertError(await auth.call<TokenPairView>('POST', '/auth/refresh', { json: { refresh_token } }), 401, 'invalid_token');
      }
    });
  });

  describe('verification of access tokens', () => {
    let good: string;
    before(async () => {
      await auth.register('forger@example.com');
      good = (await auth.signIn('forger@example.com')).body.access_token;
    });

    const forged = (): Record<string, () => string> => {
      const claims = jwt.decode(good) as jwt.JwtPayload;
      const publicPem = auth.keys.publicKeys[0]!.export({ type: 'spki', format: 'pem' }).toString();
      const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const [h, p, s] = good.split('.');
      const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      return {
        'alg none': () => `${b64({ alg: 'none', typ: 'JWT', kid: auth.keys.kid })}.${p}.`,
        'HS256 keyed with the public key': () => {
          const header = b64({ alg: 'HS256', typ: 'JWT', kid: auth.keys.kid });
          const sig = createHmac('sha256', publicPem).update(`${header}.${p}`).digest('base64url');
          return `${header}.${p}.${sig}`;
        },
        'a foreign RSA key with the real kid': () => jwt.sign({ ...claims }, foreign, { algorithm: 'RS256', keyid: auth.keys.kid }),
        expired: () =>
          jwt.sign({ ...claims, iat: 1000, exp: Math.floor(Date.now() / 1000) - 31 }, auth.keys.privateKey, {
            algorithm: 'RS256',
            keyid: auth.keys.kid,
          }),
        'wrong issuer': () =>
          jwt.sign({ ...claims, iss: 'someone-else' }, auth.keys.privateKey, { algorithm: 'RS256', keyid: auth.keys.kid }),
        'wrong audience': () =>
          jwt.sign({ ...claims, aud: 'another-app' }, auth.keys.privateKey, { algorithm: 'RS256', keyid: auth.keys.kid }),
        'tampered payload': () => `${h}.${b64({ ...claims, roles: ['merchant', 'admin'] })}.${s}`,
        'unknown kid': () => jwt.sign({ ...claims }, auth.keys.privateKey, { algorithm: 'RS256', keyid: 'not-a-key' }),
        garbage: () => 'a.b.c',
      };
    };

    it('accepts the genuine token', async () => {
      assert.equal((await auth.call<UserBody>('GET', '/auth/me', { token: good })).status, 200);
    });

    for (const name of [
      'alg none',
      'HS256 keyed with the public key',
      'a foreign RSA key with the real kid',
      'expired',
      'wrong issuer',
      'wrong audience',
      'tampered payload',
      'unknown kid',
      'garbage',
    ]) {
      it(`answers a token with ${name} with 401 invalid_token`, async () => {
        const res = await auth.call<ErrorBody>('GET', '/auth/me', { token: forged()[name]!() });
        assert.equal(res.status, 401);
        assert.deepEqual(res.body, { error: { code: 'invalid_token', message: res.body.error.message } });
      });
    }

    it('answers no credentials with 401 unauthenticated', async () => {
      const res = await auth.call<ErrorBody>('GET', '/auth/me');
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'unauthenticated');
    });
  });

  it('publishes only public RS256 keys in the JWKS', async () => {
    const res = await auth.call<z.output<typeof Jwks>>('GET', '/auth/.well-known/jwks.json');
    assert.equal(res.status, 200);
    assert.equal(res.body.keys.length, 1);
    assert.deepEqual(Object.keys(res.body.keys[0]!).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
    assert.equal(res.body.keys[0]?.kid, auth.keys.kid);
    assert.doesNotMatch(res.text, /"d"|"p"|"q"|PRIVATE/);
  });
});
