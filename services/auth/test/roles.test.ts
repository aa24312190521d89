import assert from 'node:assert/strict';
import { startAuth, type AuthHarness } from './support.js';

const rolesIn = (accessToken: string) => JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).roles as string[];

describe('one roles rule: ADMIN_EMAILS', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth({ ADMIN_EMAILS: ['listed@example.com', 'unverified@example.com'] });
  });
  after(() => auth.close());

  it('promotes an already-verified listed account at its next password sign-in', async () => {
    const { id } = await auth.verifiedUser('listed@example.com');
    // As if the account was verified before its address was added to ADMIN_EMAILS.
    await auth.db.sequelize.query("UPDATE users SET roles = 'merchant' WHERE id = ?", { replacements: [id] });
    const signedIn = await auth.signIn('listed@example.com');
    assert.equal(signedIn.status, 200);
    assert.deepEqual(rolesIn(signedIn.body.access_token), ['merchant', 'admin']);
    assert.equal((await auth.call('GET', '/auth/users', { token: signedIn.body.access_token })).status, 200);
  });

  it('gives a listed address nothing while it is unverified', async () => {
    await auth.register('unverified@example.com');
    const signedIn = await auth.signIn('unverified@example.com');
    assert.deepEqual(rolesIn(signedIn.body.access_token), ['merchant']);
  });

  it('gives an unlisted account nothing at sign-in', async () => {
    await auth.verifiedUser('plain@example.com');
    assert.deepEqual(rolesIn((await auth.signIn('plain@example.com')).body.access_token), ['merchant']);
  });
});
