import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_CODES } from '@merchant-platform/common/exit-codes';
import { freePort } from '@merchant-platform/common/testing/ports';
import { spawnNode } from '@merchant-platform/common/testing/processes';
import { NEEDS_MYSQL, skipBecause } from '@merchant-platform/common/testing/skip';

/** The all-in-one process and one standalone service: both go through the same start-up. */
const PROGRAMS = [
  { name: 'all-in-one', main: 'services/all-in-one/src/main.ts' },
  { name: 'auth', main: 'services/auth/src/main.ts' },
];

/** Starts `main`, expects it to give up, and returns its exit code and its only line of output. */
async function failedStart(main: string, env: Record<string, string>): Promise<{ code: number | null; line: string }> {
  const program = spawnNode([main], { LOG_LEVEL: 'error', HOST: '127.0.0.1', BCRYPT_COST: '10', ...env });
  const code = await program.exited;
  const lines = program
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '');
  assert.equal(lines.length, 1, `one line and no stack trace, got:\n${program.output()}`);
  return { code, line: lines[0]! };
}

/** The MySQL server the suite runs against, when it does. */
const mysqlUrl = /^(mysql|mariadb):\/\//.test(process.env.DATABASE_URL ?? '')
  ? new URL(process.env.DATABASE_URL!.replace(/^mariadb:/, 'mysql:'))
  : undefined;

describe('start-up failures', function () {
  this.timeout(60_000);
  let scratch: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'mp-startup-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  for (const { name, main } of PROGRAMS) {
    describe(name, () => {
      const sqliteUrl = () => `sqlite:${join(mkdtempSync(join(scratch, 'db-')), 'service.sqlite')}`;
      const dataDir = () => mkdtempSync(join(scratch, 'data-'));

      it('lists a bad value and the Google sign-in rule in one line, exiting 78', async () => {
        const { code, line } = await failedStart(main, { PORT: 'eighty', GOOGLE_CLIENT_ID: 'client-id', DATA_DIR: dataDir() });
        assert.equal(code, EXIT_CODES.config);
        assert.match(
          line,
          /^Invalid configuration: PORT: must be a number; GOOGLE_CLIENT_SECRET: is required when GOOGLE_CLIENT_ID is set/,
        );
        assert.match(line, /GOOGLE_REDIRECT_URI: is required/);
      });

      it('names the database address when nothing listens there, exiting 69', async () => {
        const port = await freePort();
        const { code, line } = await failedStart(main, {
          DATABASE_URL: `mysql://app:app-password@127.0.0.1:${port}/shop`,
          DATA_DIR: dataDir(),
        });
        assert.equal(code, EXIT_CODES.databaseUnavailable);
        assert.equal(
          line,
          `${name}: cannot start: nothing accepts database connections at 127.0.0.1:${port} (DATABASE_URL). Start MySQL/MariaDB there, or fix the host and port in DATABASE_URL.`,
        );
      });

      it('names the database host DNS does not know, exiting 69', async () => {
        const { code, line } = await failedStart(main, {
          DATABASE_URL: 'mysql://app:app-password@db.invalid:3306/shop',
          DATA_DIR: dataDir(),
        });
        assert.equal(code, EXIT_CODES.databaseUnavailable);
        assert.match(line, /cannot start: the database host "db\.invalid" \(DATABASE_URL\) is not known to DNS/);
      });

      it('names the SQLite path it cannot create, exiting 73', async () => {
        const file = join(scratch, `${name}-a-file`);
        writeFileSync(file, '');
        const { code, line } = await failedStart(main, { DATABASE_URL: `sqlite:${file}/service.sqlite`, DATA_DIR: dataDir() });
        assert.equal(code, EXIT_CODES.cannotCreate);
        assert.match(
          line,
          new RegExp(`cannot start: cannot write ${file}/service\\.sqlite: a part of the path is a file, not a folder\\. Set DATABASE_URL`),
        );
      });

      it('names the port another process holds, exiting 75', async () => {
        const port = await freePort();
        const holder: Server = createServer();
        await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
        try {
          const { code, line } = await failedStart(main, { PORT: String(port), DATABASE_URL: sqliteUrl(), DATA_DIR: dataDir() });
          assert.equal(code, EXIT_CODES.portInUse);
          assert.equal(
            line,
            `${name}: cannot start: port ${port} on 127.0.0.1 is already in use (PORT). Stop the other process, or set PORT to a free port.`,
          );
        } finally {
          holder.close();
        }
      });

      it('says the database refused the user without showing the password, exiting 77', async function () {
        if (!mysqlUrl) skipBecause(this, NEEDS_MYSQL);
        const url = new URL(mysqlUrl);
        url.username = 'no_such_user';
        url.password = 'wrong-secret-pw';
        const { code, line } = await failedStart(main, { DATABASE_URL: url.toString(), DATA_DIR: dataDir() });
        assert.equal(code, EXIT_CODES.notPermitted);
        assert.match(line, /refused user "no_such_user" \(DATABASE_URL\): wrong user name or password/);
        assert.doesNotMatch(line, /wrong-secret-pw/);
      });

      it('names the database that does not exist, exiting 66', async function () {
        if (!mysqlUrl) skipBecause(this, NEEDS_MYSQL);
        const url = new URL(mysqlUrl);
        url.pathname = '/mp_no_such_database';
        const { code, line } = await failedStart(main, { DATABASE_URL: url.toString(), DATA_DIR: dataDir() });
        assert.equal(code, EXIT_CODES.databaseMissing);
        assert.match(line, /database "mp_no_such_database" does not exist at .* \(DATABASE_URL\)\. Create it/);
      });
    });
  }

  it('all-in-one names a DATA_DIR it cannot create, exiting 73', async () => {
    const file = join(scratch, 'data-is-a-file');
    writeFileSync(file, '');
    const { code, line } = await failedStart('services/all-in-one/src/main.ts', { DATA_DIR: join(file, 'data') });
    assert.equal(code, EXIT_CODES.cannotCreate);
    assert.equal(
      line,
      `all-in-one: cannot start: cannot write ${file}/data: a part of the path is a file, not a folder. Set DATA_DIR to a path this user can write.`,
    );
  });
});
