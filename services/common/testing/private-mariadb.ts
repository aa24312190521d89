import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequelize } from 'sequelize';
import { eventually } from './eventually.js';
import { freePort } from './ports.js';

/** Why a private server cannot run here, or undefined when it can. */
export function privateMariadbUnavailable(): string | undefined {
  for (const binary of ['mariadbd', 'mariadb-install-db']) {
    if (spawnSync('sh', ['-c', `command -v ${binary}`]).status !== 0) return `${binary} is not installed`;
  }
  return undefined;
}

/**
 * A MariaDB server of the test's own (own datadir, port and socket in a temp folder), started
 * as a child process so the test can SIGKILL, SIGSTOP and SIGCONT it by PID without touching
 * the shared server.
 */
export class PrivateMariadb {
  private child: ChildProcess | undefined;

  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<PrivateMariadb> {
    const dir = mkdtempSync(join(tmpdir(), 'mp-mariadb-'));
    const installed = spawnSync(
      'mariadb-install-db',
      ['--no-defaults', `--datadir=${join(dir, 'data')}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...rootUser()],
      { encoding: 'utf8' },
    );
    if (installed.status !== 0) throw new Error(`mariadb-install-db failed:\n${installed.stdout}${installed.stderr}`);
    const server = new PrivateMariadb(dir, await freePort());
    await server.restart();
    await server.admin('CREATE DATABASE app');
    return server;
  }

  get url(): string {
    return `mysql://root@127.0.0.1:${this.port}/app`;
  }

  get pid(): number {
    if (!this.child?.pid) throw new Error('the private MariaDB is not running');
    return this.child.pid;
  }

  /** Starts mariadbd on the same datadir and port and waits until it answers. */
  async restart(): Promise<void> {
    const dir = this.dir;
    this.child = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${join(dir, 'data')}`,
        `--socket=${join(dir, 'mariadb.sock')}`,
        `--pid-file=${join(dir, 'mariadb.pid')}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        '--skip-grant-tables',
        '--innodb-buffer-pool-size=16M',
        ...rootUser(),
      ],
      { stdio: 'ignore' },
    );
    await eventually(async () => ((await this.admin('SELECT 1')) ? true : undefined), 'the private MariaDB to accept connections', {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
  }

  kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    return exited;
  }

  async remove(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async admin(sql: string): Promise<boolean> {
    const admin = new Sequelize(`mysql://root@127.0.0.1:${this.port}/`, {
      dialect: 'mysql',
      logging: false,
      dialectOptions: { connectTimeout: 1_000 },
    });
    try {
      await admin.query(sql);
      return true;
    } finally {
      await admin.close();
    }
  }
}

/** CI runs as root, and mariadbd refuses to run as root unless told to. */
const rootUser = () => (process.getuid?.() === 0 ? ['--user=root'] : []);
