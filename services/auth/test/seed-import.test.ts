import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import bcrypt from 'bcrypt';
import { Sequelize } from 'sequelize';
import type { CliIo } from '@merchant-platform/common/cli';
import { assertError } from '@merchant-platform/common/testing/http-server';
import { NEEDS_MYSQL, skipBecause } from '@merchant-platform/common/testing/skip';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { runImportSeedCommand } from '../src/cli/import-seed-command.js';
import { startAuth, type AuthHarness } from './support.js';

const LEGACY_TABLE = readFileSync(new URL('./fixtures/legacy-merchant-user-table.sql', import.meta.url), 'utf8');

/** Longer than bcrypt's 72 bytes: passlib hashed only its first 72, and so must sign-in. */
const LONG_PASSWORD = 'a-very-long-passphrase-'.repeat(4);

const LEGACY_USERS = [
  { email: 'Ada@Example.com', password: 'old-password-1', first: 'Ada', last: 'Lovelace', disabled: false },
  { email: 'grace@example.com', password: LONG_PASSWORD, first: 'Grace', last: 'Hopper', disabled: false },
  { email: 'gone@example.com', password: 'old-password-3', first: 'Gone', last: 'Away', disabled: true },
  { email: 'twin@example.com', password: 'old-password-4', first: 'Twin', last: 'One', disabled: false },
  { email: 'TWIN@example.com', password: 'old-password-5', first: 'Twin', last: 'Two', disabled: false },
  { email: 'not-an-address', password: 'old-password-6', first: 'No', last: 'Mail', disabled: false },
];

async function runImport(args: string[], databaseUrl: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { argv: args, env: { DATABASE_URL: databaseUrl }, out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await runImportSeedCommand(io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('platformctl import-seed: users from the old merchant_user table (MariaDB)', function () {
  this.timeout(120_000);
  let auth: AuthHarness;
  let legacy: TestDatabase;
  const hashes: string[] = [];

  before(async function () {
    if (!process.env.DATABASE_URL?.startsWith('mysql')) skipBecause(this, NEEDS_MYSQL);
    auth = await startAuth();
    legacy = await createTestDatabase();
    const db = new Sequelize(legacy.url, { logging: false });
    await db.query(LEGACY_TABLE);
    for (const user of LEGACY_USERS) {
      // What passlib's CryptContext(schemes=["bcrypt"]) stores: $2b$, cost 12, the raw password.
      const hash = await bcrypt.hash(user.password, 12);
      hashes.push(hash);
      await db.query(
        'INSERT INTO merchant_user (email, first_name, middle_name, last_name, profile_picture, hashed_password, disabled) VALUES (?, ?, NULL, ?, NULL, ?, ?)',
        { replacements: [user.email, user.first, user.last, hash, user.disabled] },
      );
    }
    await db.close();
  });
  after(async () => {
    await auth?.close();
    await legacy?.drop();
  });

  async function storedHash(email: string): Promise<string | undefined> {
    const [rows] = await auth.db.sequelize.query('SELECT password_hash FROM users WHERE email = ?', { replacements: [email] });
    return (rows as { password_hash: string }[])[0]?.password_hash;
  }

  async function userCount(): Promise<number> {
    const [rows] = await auth.db.sequelize.query('SELECT COUNT(*) AS n FROM users');
    return Number((rows as { n: number }[])[0]!.n);
  }

  it('a dry run checks every row, reports the counts and writes nothing', async () => {
    const run = await runImport(['--from', legacy.url, '--dry-run'], auth.databaseUrl);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^Would import 3, skipped 1, conflicts 2\.$/m);
    assert.equal(await userCount(), 0);
  });

  it('two imports at once bring each user over exactly once, report case twins and never print a hash', async () => {
    const [one, two] = await Promise.all([
      runImport(['--from', legacy.url], auth.databaseUrl),
      runImport(['--from', legacy.url], auth.databaseUrl),
    ]);
    for (const run of [one, two]) {
      assert.equal(run.code, 0, run.err);
      assert.match(run.err, /conflict: user_ids 4, 5 have emails that differ only in case \(twin@example\.com\); none imported/);
      assert.match(run.err, /skipped user_id 6: the email is not a valid address/);
      assert.match(run.err, /6\/6 users/);
      for (const hash of hashes) assert.ok(!`${run.out}${run.err}`.includes(hash.slice(7)), 'no hash in the output');
    }
    const imported = [one, two].map((run) => Number(/^Imported (\d+),/m.exec(run.out)![1]));
    assert.equal(imported[0]! + imported[1]!, 3, 'three users in all, whichever run inserted them');
    assert.equal(await userCount(), 3);
    assert.equal(await storedHash('twin@example.com'), undefined);
    assert.match((await storedHash('ada@example.com'))!, /^passlib-bcrypt:\$2b\$12\$/, 'the email is normalised and the hash marked');
  });

  it('a re-run imports nothing more and skips everyone already here', async () => {
    const run = await runImport(['--from', legacy.url], auth.databaseUrl);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^Imported 0, skipped 4, conflicts 2\.$/m);
    assert.equal(await userCount(), 3);
  });

  it('the old password signs in, and that sign-in upgrades the hash to our scheme', async () => {
    assertError(await auth.signIn('ada@example.com', 'wrong-password'), 401, 'invalid_credentials');
    assert.match((await storedHash('ada@example.com'))!, /^passlib-bcrypt:/, 'a failed sign-in changes nothing');
    const signedIn = await auth.signIn('ada@example.com', 'old-password-1');
    assert.equal(signedIn.status, 200);
    assert.match((await storedHash('ada@example.com'))!, /^hmac-sha256:\$2b\$10\$/);
    assert.equal((await auth.signIn('ada@example.com', 'old-password-1')).status, 200, 'the upgraded hash verifies the same password');
  });

  it("an imported hash keeps passlib's 72-byte limit until the upgrade", async () => {
    const samePrefix = LONG_PASSWORD.slice(0, 72) + 'different-ending';
    assert.equal((await auth.signIn('grace@example.com', samePrefix)).status, 200);
    assert.match((await storedHash('grace@example.com'))!, /^hmac-sha256:/);
    assertError(await auth.signIn('grace@example.com', LONG_PASSWORD), 401, 'invalid_credentials');
    assert.equal((await auth.signIn('grace@example.com', samePrefix)).status, 200, 'after the upgrade every character counts');
  });

  it('a user disabled in the old system arrives disabled', async () => {
    assertError(await auth.signIn('gone@example.com', 'old-password-3'), 403, 'account_disabled');
  });

  it('refuses a missing --from and an unreadable source with clear messages', async () => {
    const missing = await runImport([], auth.databaseUrl);
    assert.equal(missing.code, 64);
    assert.match(missing.err, /--from needs the old MySQL database's URL/);
    const unreadable = await runImport(['--from', 'mysql://root@127.0.0.1:1/nowhere'], auth.databaseUrl);
    assert.equal(unreadable.code, 69);
    assert.match(unreadable.err, /The old database at 127\.0\.0\.1:1\/nowhere cannot be read/);
  });
});
