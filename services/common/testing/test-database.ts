import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequelize } from 'sequelize';

export interface TestDatabase {
  url: string;
  dialect: 'mysql' | 'sqlite';
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test suite: a new schema on the MySQL server named by
 * `DATABASE_URL` when it is a mysql:// URL, otherwise a new SQLite file in a temp folder.
 */
export async function createTestDatabase(baseUrl = process.env.DATABASE_URL): Promise<TestDatabase> {
  if (baseUrl && /^(mysql|mariadb):\/\//.test(baseUrl)) {
    const server = new URL(baseUrl.replace(/^mariadb:/, 'mysql:'));
    const name = `mp_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const admin = serverConnection(server);
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.close();
    const url = new URL(server);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      dialect: 'mysql',
      drop: async () => {
        const dropper = serverConnection(server);
        await dropper.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await dropper.close();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mp-test-'));
  return {
    url: `sqlite:${join(dir, 'test.sqlite')}`,
    dialect: 'sqlite',
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A connection to the MySQL server itself, no database selected: to create and drop one. */
function serverConnection(server: URL): Sequelize {
  const credentials = server.username ? `${server.username}${server.password ? `:${server.password}` : ''}@` : '';
  return new Sequelize(`${server.protocol}//${credentials}${server.host}/`, { dialect: 'mysql', logging: false });
}
