import assert from 'node:assert/strict';
import { startAuth, STRONG_PASSWORD, type AuthHarness } from './support.js';
import { currentCode, verify } from './totp-support.js';

const NEW_PASSWORD = 'Battery-Staple2?';

describe('secrets stay secret', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth();
  });
  after(() => auth.close());

  it('no response body or log line of a full flow contains a password, hash, code, refresh token or key', async () => {
    const bodies: string[] = [];
    const call = async (...args: Parameters<AuthHarness['call']>) => {
      const res = await auth.call(...args);
      bodies.push(res.text, JSON.stringify(Object.fromEntries(res.headers)));
      return res;
    };
    await call('POST', '/auth/register', {
      json: { email: 'secret@example.com', password: STRONG_PASSWORD, confirm_password: STRONG_PASSWORD, first_name: 'S', last_name: 'T' },
    });
    const first = await call('POST', '/auth/token', { json: { email: 'secret@example.com', password: STRONG_PASSWORD } });
    await call('POST', '/auth/token', { json: { email: 'secret@example.com', password: 'Wrong-Horse1!' } });
    const verifyCode = auth.inbox.lastCode('secret@example.com', 'verify_email');
    await call('POST', '/auth/email/verification/confirm', { token: first.body.access_token, json: { code: '000000' } });
    await call('POST', '/auth/email/verification/confirm', { token: first.body.access_token, json: { code: verifyCode } });
    await call('GET', '/auth/me', { token: first.body.access_token });
    const refreshed = await call('POST', '/auth/refresh', { json: { refresh_token: first.body.refresh_token } });
    await call('POST', '/auth/refresh', { json: { refresh_token: first.body.refresh_token } });
    await call('PUT', '/auth/password', {
      token: refreshed.body.access_token,
      json: { current_password: STRONG_PASSWORD, password: NEW_PASSWORD, confirm_password: NEW_PASSWORD },
    });
    await call('POST', '/auth/password/forgot', { json: { email: 'secret@example.com' } });
    const resetCode = await auth.inbox.waitForCode('secret@example.com', 'password_reset');
    await call('POST', '/auth/password/reset', {
      json: { email: 'secret@example.com', code: resetCode, password: STRONG_PASSWORD, confirm_password: STRONG_PASSWORD },
    });
    await call('GET', '/auth/.well-known/jwks.json');

    const [rows] = await auth.db.sequelize.query("SELECT password_hash FROM users WHERE email = 'secret@example.com'");
    const hash = (rows as { password_hash: string }[])[0]!.password_hash;
    const privatePem = auth.keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const privateBody = privatePem.split('\n')[1]!;
    const privateJwkD = (auth.keys.privateKey.export({ format: 'jwk' }) as { d: string }).d;

    const responses = bodies.join('\n');
    const logs = auth.logs.text();
    assert.ok(logs.length > 1000, 'the flow was logged');
    for (const [name, haystack] of [
      ['responses', responses],
      ['logs', logs],
    ] as const) {
      for (const [label, secret] of [
        ['password', STRONG_PASSWORD],
        ['new password', NEW_PASSWORD],
        ['wrong password', 'Wrong-Horse1!'],
        ['bcrypt hash', hash],
        ['any bcrypt hash', '$2b$'],
        ['verification code', verifyCode],
        ['reset code', resetCode],
        ['private key', privateBody],
        ['private exponent', privateJwkD],
        ['PEM header', 'PRIVATE KEY'],
      ] as const) {
        assert.ok(!haystack.includes(secret), `${name} contain the ${label}`);
      }
    }
    // Refresh tokens appear only in the response that issues them, never in a log.
    assert.ok(!logs.includes(first.body.refresh_token), 'logs contain a refresh token');
    assert.ok(!logs.includes(first.body.access_token), 'logs contain an access token');
  });
  it('a TOTP secret, its codes and the recovery codes appear only in the answer that hands them out, never in a log', async () => {
    const user = await auth.verifiedUser('second-secret@example.com');
    const enrolled = await auth.call('POST', '/auth/mfa/totp', { token: user.access, json: {} });
    const secret = enrolled.body.secret as string;
    const firstCode = currentCode(secret);
    const confirmed = await auth.call('POST', `/auth/mfa/totp/${enrolled.body.factor_id}/confirm`, {
      token: user.access,
      json: { code: firstCode },
    });
    const recoveryCodes = confirmed.body.recovery_codes as string[];
    assert.equal(recoveryCodes.length, 10);

    const later: string[] = [];
    const call = async (...args: Parameters<AuthHarness['call']>) => {
      const res = await auth.call(...args);
      later.push(res.text, JSON.stringify(Object.fromEntries(res.headers)));
      return res;
    };
    const challenge = await call('POST', '/auth/token', { json: { email: 'second-secret@example.com', password: STRONG_PASSWORD } });
    const mfaToken = challenge.body.error.mfa.mfa_token as string;
    await call('POST', '/auth/mfa/verify', { json: { mfa_token: mfaToken, code: '000000' } });
    const signedIn = await call('POST', '/auth/mfa/verify', { json: { mfa_token: mfaToken, code: recoveryCodes[0] } });
    await call('GET', '/auth/mfa/factors', { token: signedIn.body.access_token });
    await call('GET', '/auth/me', { token: signedIn.body.access_token });
    const secondCode = currentCode(secret, 1);
    await verify(auth, {
      mfa_token: (await call('POST', '/auth/token', { json: { email: 'second-secret@example.com', password: STRONG_PASSWORD } })).body.error
        .mfa.mfa_token,
      code: secondCode,
    });

    const responses = later.join('\n');
    const logs = auth.logs.text();
    for (const [label, value] of [
      ['TOTP secret', secret],
      ['otpauth URI', enrolled.body.otpauth_uri as string],
      // Quoted: six bare digits turn up by chance inside timestamps and ids.
      ['first TOTP code', `"${firstCode}"`],
      ['mfa_token', mfaToken],
      ...recoveryCodes.map((code, i) => [`recovery code ${i}`, code] as const),
    ] as const) {
      assert.ok(!logs.includes(value), `logs contain the ${label}`);
      if (label !== 'mfa_token') assert.ok(!responses.includes(value), `a later response contains the ${label}`);
    }
    assert.ok(!logs.includes(`"${secondCode}"`), 'logs contain a sign-in TOTP code');
  });
});
