import { assertError } from '@merchant-platform/common/testing/http-server';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import bcrypt from 'bcrypt';
import { PasswordHasher } from '../src/domain/passwords.js';
import { DEFAULT_SETTINGS, startAuth, STRONG_PASSWORD, type AuthHarness } from './support.js';

const PEPPER = DEFAULT_SETTINGS.PASSWORD_PEPPER;

describe('passwords peppered with PASSWORD_PEPPER', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth();
  });
  after(() => auth.close());

  async function storedHash(email: string): Promise<string> {
    const [rows] = await auth.db.sequelize.query('SELECT password_hash FROM users WHERE email = ?', { replacements: [email] });
    return (rows as { password_hash: string }[])[0]!.password_hash;
  }

  it('stores new hashes marked as the peppered scheme, and the pepper is needed to verify them', async () => {
    await auth.register('peppered@example.com');
    const stored = await storedHash('peppered@example.com');
    assert.match(stored, /^hmac-sha256:\$2b\$10\$/);
    assert.equal(await new PasswordHasher(10, PEPPER).verify(STRONG_PASSWORD, stored), true);
    assert.equal(await new PasswordHasher(10, 'another-pepper-of-at-least-32-characters').verify(STRONG_PASSWORD, stored), false);
    const unkeyed = createHash('sha256').update(STRONG_PASSWORD).digest('base64');
    assert.equal(await bcrypt.compare(unkeyed, stored.slice('hmac-sha256:'.length)), false, 'the unkeyed pre-hash no longer matches');
  });

  it('signs in with a hash of the old unkeyed scheme and upgrades it to the peppered one', async () => {
    const { body } = await auth.register('oldscheme@example.com');
    const unkeyed = createHash('sha256').update(STRONG_PASSWORD, 'utf8').digest('base64');
    await auth.db.sequelize.query('UPDATE users SET password_hash = ? WHERE id = ?', {
      replacements: [await bcrypt.hash(unkeyed, 10), body.user.id],
    });
    assertError(await auth.signIn('oldscheme@example.com', 'Wrong-Horse1!'), 401, 'invalid_credentials');
    assert.doesNotMatch(await storedHash('oldscheme@example.com'), /^hmac-sha256:/, 'a failed sign-in changes nothing');

    assert.equal((await auth.signIn('oldscheme@example.com')).status, 200);
    const upgraded = await storedHash('oldscheme@example.com');
    assert.match(upgraded, /^hmac-sha256:/);
    assert.equal(await new PasswordHasher(10, PEPPER).verify(STRONG_PASSWORD, upgraded), true);
    assert.equal((await auth.signIn('oldscheme@example.com')).status, 200, 'the upgraded hash signs in');
  });
});
