import assert from 'node:assert/strict';
import { defineAuthModels } from '../src/data/models.js';
import { SequelizeUserRepository } from '../src/data/user-repository.js';
import type { NewUser } from '../src/domain/user.js';
import { startAuth, type AuthHarness } from './support.js';

/** MySQL's default collations hold `é` equal to `e`; emails must compare byte for byte on both databases. */
describe('emails compare byte-exact', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth();
  });
  after(() => auth.close());

  const person = (email: string): NewUser => ({
    email,
    passwordHash: null,
    googleSubject: null,
    firstName: 'José',
    middleName: null,
    lastName: 'Doe',
    profilePicture: null,
    emailVerified: false,
    roles: ['merchant'],
  });

  it('keeps josé@x.com and jose@x.com as two accounts, each found by its own address', async () => {
    const users = new SequelizeUserRepository(defineAuthModels(auth.db.sequelize).User);
    const accented = await users.create(person('josé@x.com'));
    const plain = await users.create(person('jose@x.com'));
    assert.ok(accented && plain, 'both inserts succeed');
    assert.notEqual(accented.id, plain.id);
    assert.equal((await users.findByEmail('josé@x.com'))?.id, accented.id);
    assert.equal((await users.findByEmail('jose@x.com'))?.id, plain.id);
    assert.equal(await users.create(person('jose@x.com')), undefined, 'the same bytes are still one account');
  });
});
