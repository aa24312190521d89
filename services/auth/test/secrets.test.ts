import assert from 'node:assert/strict';
import { startAuth, STRONG_PASSWORD, type AuthHarness } from './support.js';

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
});
