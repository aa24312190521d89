import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import mysql from 'mysql2/promise';

/** The database one bench run uses: created fresh, dropped at the end. */
export interface BenchDatabase {
  dialect: 'mysql' | 'sqlite';
  url: string;
  /** What the report shows: server version or SQLite, never credentials. */
  description: string;
  drop(): Promise<void>;
}

const isMysqlUrl = (url: string | undefined): url is string => !!url && /^(mysql|mariadb):\/\//.test(url);

/**
 * A new schema on the MySQL/MariaDB server of `DATABASE_URL` when it is a mysql:// URL (the
 * schema in the URL is only where we connect to create ours), else an SQLite file in `runDir`.
 */
export async function createBenchDatabase(baseUrl: string | undefined, runDir: string): Promise<BenchDatabase> {
  if (!isMysqlUrl(baseUrl)) {
    return {
      dialect: 'sqlite',
      url: `sqlite:${join(runDir, 'platform.sqlite')}`,
      description: 'SQLite (WAL, temp file)',
      drop: async () => {},
    };
  }
  const server = new URL(baseUrl.replace(/^mariadb:/, 'mysql:'));
  const name = `mp_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = () =>
    mysql.createConnection({
      host: server.hostname,
      port: Number(server.port || 3306),
      user: decodeURIComponent(server.username),
      password: decodeURIComponent(server.password),
    });
  const connection = await admin();
  let version = 'MySQL';
  try {
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const [rows] = await connection.query('SELECT VERSION() AS version');
    version = String((rows as { version: string }[])[0]?.version ?? version);
  } finally {
    await connection.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    dialect: 'mysql',
    url: url.toString(),
    description: `${/mariadb/i.test(version) ? 'MariaDB' : 'MySQL'} ${version.split('-')[0]} (database ${name})`,
    drop: async () => {
      const dropper = await admin();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await dropper.end();
      }
    },
  };
}
