import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { request } from '@merchant-platform/common/testing/http-server';
import type { TestDatabase } from '@merchant-platform/common/testing/test-database';
import { createMigratedTestDatabase, waitFor, SERVICE_TOKEN, testEnv } from './support/email-service.js';
import { freePort } from '@merchant-platform/common/testing/ports';
import { spawnReadyService, type SpawnedService } from '@merchant-platform/common/testing/processes';
import { SesEmulator } from '@merchant-platform/common/testing/ses-emulator';

/** The real service process, as `node services/email/src/main.ts` runs it, with the emulator's credentials. */
async function startServiceProcess(env: Record<string, string>): Promise<SpawnedService & { base: string }> {
  const credentials = { AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID!, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY! };
  return spawnReadyService(
    ['services/email/src/main.ts'],
    { ...env, ...credentials, NODE_ENV: 'test', LOG_LEVEL: 'info' },
    await freePort(),
  );
}

/** Kills the process without a chance to clean up, as a crash or an OOM kill would. */
async function kill(service: SpawnedService): Promise<number | null> {
  service.child.kill('SIGKILL');
  return service.exited;
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
    testDb = await createMigratedTestDatabase();
    ses = await SesEmulator.start();
  });
  after(async () => {
    await ses?.stop();
    await testDb?.drop();
  });

  it('loses nothing: a mail accepted by a process killed mid-send goes out once after the restart, counted as a possible duplicate', async () => {
    const hole = await blackHole();
    const settings = { DATABASE_URL: testDb.url, SES_TIMEOUT_MS: '1000', EMAIL_LEASE_SECONDS: '3' };
    const to = `restart-${randomUUID().slice(0, 8)}@example.com`;
    let first: (SpawnedService & { base: string }) | undefined;
    let id: string;
    try {
      first = await startServiceProcess(testEnv({ ...settings, SES_ENDPOINT: hole.endpoint }));
      const accepted = await request(first.base, 'POST', '/emails', {
        token: SERVICE_TOKEN,
        json: { to, template: 'verify_email', data: { code: '777000' } },
      });
      assert.equal(accepted.status, 202);
      id = accepted.body.id;
      // The dispatcher has claimed the row and its SES call is in flight: now the process dies.
      await waitFor(
        'the send to start',
        async () => hole.connections.length,
        (n) => n > 0,
      );
      assert.equal(await kill(first), null);
    } finally {
      if (first) await kill(first);
      await hole.close();
    }
    assert.equal((await ses.emailsTo(to)).length, 0);

    const second = await startServiceProcess(testEnv({ ...settings, SES_ENDPOINT: ses.endpoint }));
    try {
      const sent = await waitFor(
        'the row to be sent after its lease ran out',
        () => request(second.base, 'GET', `/emails/${id}`, { token: SERVICE_TOKEN }),
        (r) => r.body?.status === 'sent',
        20_000,
      );
      assert.equal(sent.body.attempts, 2, 'the killed attempt counts');
      const mails = await ses.emailsTo(to);
      assert.equal(mails.length, 1);
      assert.equal(sent.body.message_id, mails[0]!.messageId);
      assert.match(mails[0]!.body.text!, /Your verification code is: 777000\n/);
      // The first process marked the send before calling SES, so the second knows it may be a repeat.
      const metrics = await request(second.base, 'GET', '/metrics');
      assert.match(metrics.text, /^email_possible_duplicates_total\{template="verify_email"\} 1$/m);
    } finally {
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0, `a clean shutdown on SIGTERM:\n${second.output()}`);
    }
  });
});
