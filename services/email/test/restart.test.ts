import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@merchant-platform/common/db/database';
import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import { request } from '@merchant-platform/common/testing/http-server';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { emailMigrations } from '../src/app.js';
import { waitFor, SERVICE_TOKEN, testEnv } from './support/email-service.js';
import { freePort } from '@merchant-platform/common/testing/ports';
import { SesEmulator } from '@merchant-platform/common/testing/ses-emulator';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The real service process, as `node services/email/src/main.ts` runs it. */
class ServiceProcess {
  readonly output: string[] = [];
  private readonly exited: Promise<number | null>;

  constructor(
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => this.output.push(chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => this.output.push(chunk.toString('utf8')));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(env: Record<string, string>): Promise<ServiceProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--conditions=source', '--import=tsx', 'services/email/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'test', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new ServiceProcess(`http://127.0.0.1:${port}`, child);
    await waitFor(
      'the service to listen',
      () => request(service.url, 'GET', '/healthz').then((r) => r.status, () => 0),
      (status) => status === 200 || child.exitCode !== null,
      30_000,
    ).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${service.output.join('')}`)));
    if (child.exitCode !== null) throw new Error(`the service exited at start:\n${service.output.join('')}`);
    return service;
  }

  kill(): Promise<number | null> {
    this.child.kill('SIGKILL');
    return this.exited;
  }

  terminate(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return this.exited;
  }
}

/** A TCP endpoint that accepts connections and never answers: an SES call into it hangs. */
async function blackHole(): Promise<{ endpoint: string; connections: Socket[]; close(): Promise<void> }> {
  const connections: Socket[] = [];
  const server: Server = createServer((socket) => connections.push(socket));
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    connections,
    close: async () => {
      connections.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a restart between commit and delivery', function () {
  this.timeout(60_000);
  let testDb: TestDatabase;
  let ses: SesEmulator;

  before(async () => {
    testDb = await createTestDatabase();
    const db = await openDatabase(testDb.url);
    await new SchemaMigrator(db, 'email', emailMigrations).up();
    await db.close();
    ses = await SesEmulator.start();
  });
  after(async () => {
    await ses?.stop();
    await testDb?.drop();
  });

  it('loses nothing: a mail accepted by a process killed mid-send goes out once after the restart', async () => {
    const hole = await blackHole();
    const settings = { DATABASE_URL: testDb.url, SES_TIMEOUT_MS: '1000', EMAIL_LEASE_SECONDS: '3' };
    const to = `restart-${randomUUID().slice(0, 8)}@example.com`;
    let first: ServiceProcess | undefined;
    let id: string;
    try {
      first = await ServiceProcess.start(testEnv({ ...settings, SES_ENDPOINT: hole.endpoint }));
      const accepted = await request(first.url, 'POST', '/emails', {
        token: SERVICE_TOKEN,
        json: { to, template: 'verify_email', data: { code: '777000' } },
      });
      assert.equal(accepted.status, 202);
      id = accepted.body.id;
      // The dispatcher has claimed the row and its SES call is in flight: now the process dies.
      await waitFor('the send to start', async () => hole.connections.length, (n) => n > 0);
      assert.equal(await first.kill(), null);
    } finally {
      await first?.kill();
      await hole.close();
    }
    assert.equal((await ses.emailsTo(to)).length, 0);

    const second = await ServiceProcess.start(testEnv({ ...settings, SES_ENDPOINT: ses.endpoint }));
    try {
      const sent = await waitFor(
        'the row to be sent after its lease ran out',
        () => request(second.url, 'GET', `/emails/${id}`, { token: SERVICE_TOKEN }),
        (r) => r.body?.status === 'sent',
        20_000,
      );
      assert.equal(sent.body.attempts, 2, 'the killed attempt counts');
      const mails = await ses.emailsTo(to);
      assert.equal(mails.length, 1);
      assert.equal(sent.body.message_id, mails[0]!.messageId);
      assert.match(mails[0]!.body.text!, /Your verification code is: 777000\n/);
    } finally {
      assert.equal(await second.terminate(), 0, `a clean shutdown on SIGTERM:\n${second.output.join('')}`);
    }
  });
});
