import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { openDatabase } from '@merchant-platform/common/db/database';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { request } from '@merchant-platform/common/testing/http-server';
import { freePort } from '@merchant-platform/common/testing/ports';
import { spawnNode, spawnReadyService, type SpawnedService } from '@merchant-platform/common/testing/processes';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { startAuth, STRONG_PASSWORD, type AuthHarness } from './support.js';

const outboxDepth = async (url: string) => {
  const metrics = await fetch(`${url}/metrics`).then((r) => r.text());
  return Number(/^auth_mail_outbox_depth (\d+)$/m.exec(metrics)?.[1]);
};

describe('the mail outbox', () => {
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth();
  });
  after(async () => {
    await auth.module.stop?.();
    await auth.close();
  });

  it('keeps the mail of a sign-up made while the email service is down and delivers it once the service is back', async () => {
    auth.inbox.failing = true;
    assert.equal((await auth.register('later@example.com')).status, 201);
    assert.equal(await outboxDepth(auth.url), 1);
    auth.inbox.failing = false;
    auth.module.start?.();
    const code = await auth.inbox.waitForCode('later@example.com', 'verify_email', 10_000);
    assert.match(code, /^\d{6}$/);
    await eventually(async () => ((await outboxDepth(auth.url)) === 0 ? true : undefined), 'the outbox to empty');
  });

  it('hands each of 20 concurrent sign-ups mail over exactly once and leaves the outbox empty', async () => {
    const before = auth.inbox.sent.length;
    const emails = Array.from({ length: 20 }, (_, i) => `crowd${i}@example.com`);
    const answers = await Promise.all(emails.map((email) => auth.register(email)));
    assert.deepEqual(
      answers.map((a) => a.status),
      emails.map(() => 201),
      auth.logs.lines.filter((l) => l.includes('unavailable')).join('\n'),
    );
    const sent = auth.inbox.sent
      .slice(before)
      .map((m) => m.to)
      .sort();
    assert.deepEqual(sent, [...emails].sort());
    // A row the poller claimed before a request's own hand-over is removed by the poller, which
    // may finish just after the last answer.
    await eventually(async () => ((await outboxDepth(auth.url)) === 0 ? true : undefined), 'the outbox to empty');
    assert.equal(auth.inbox.sent.length - before, emails.length, 'no mail was handed over twice');
  });
});

describe('a crash in the middle of sign-ups', function () {
  this.timeout(90_000);
  let testDb: TestDatabase;
  const started: SpawnedService[] = [];

  before(async () => {
    testDb = await createTestDatabase();
    const migrate = spawnNode(['services/auth/src/migrate.ts'], { DATABASE_URL: testDb.url });
    assert.equal(await migrate.exited, 0, migrate.output());
  });
  after(async () => {
    for (const service of started) service.child.kill('SIGKILL');
    await testDb.drop();
  });

  // The crash test signs up from one address far faster than the per-client limit allows.
  const UNLIMITED_SIGN_UPS = { RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR: '1000000', RATE_LIMIT_REGISTRATIONS_PER_MINUTE: '1000000' };

  /** Auth alone, mailing to its log (no EMAIL_SERVICE_URL): a delivered mail is a log line naming its recipient. */
  async function startAuthProcess() {
    const service = await spawnReadyService(
      ['services/auth/src/main.ts'],
      { DATABASE_URL: testDb.url, BCRYPT_COST: '10', LOG_LEVEL: 'info', ...UNLIMITED_SIGN_UPS },
      await freePort(),
    );
    started.push(service);
    return service;
  }

  it('leaves no account without its verification mail after SIGKILL and a restart', async () => {
    const first = await startAuthProcess();
    let registered = 0;
    let stop = false;
    const loop = async (worker: number) => {
      for (let i = 0; !stop; i++) {
        const res = await request(first.base, 'POST', '/auth/register', {
          json: {
            email: `w${worker}n${i}@example.com`,
            password: STRONG_PASSWORD,
            confirm_password: STRONG_PASSWORD,
            first_name: 'Crash',
            last_name: 'Test',
          },
        }).catch(() => undefined);
        if (res?.status === 201) registered++;
        if (!res) return;
      }
    };
    const workers = Array.from({ length: 4 }, (_, worker) => loop(worker));
    await eventually(() => (registered >= 12 ? true : undefined), 'sign-ups to be under way', { timeoutMs: 60_000 });
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all([first.exited, ...workers]);

    const second = await startAuthProcess();
    const db = await openDatabase(testDb.url);
    try {
      const users = await db.sequelize.query<{ email: string }>('SELECT email FROM users', { type: QueryTypes.SELECT });
      assert.ok(users.length >= 12, `only ${users.length} users`);
      const mailed = () => `${first.output()}\n${second.output()}`;
      await eventually(
        () => {
          const missing = users.filter((u) => !mailed().includes(`"to":"${u.email}"`));
          return missing.length === 0 ? true : undefined;
        },
        'every account to have its verification mail',
        { timeoutMs: 20_000 },
      );
      // A row is deleted just after its mail is handed over: wait for the outbox to drain.
      const outboxDepth = async () => {
        const [{ n }] = (await db.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM auth_mail_outbox', {
          type: QueryTypes.SELECT,
        })) as [{ n: number }];
        return Number(n);
      };
      // A row the killed process had claimed comes back to the new one when its 30 s lease ends.
      await eventually(async () => ((await outboxDepth()) === 0 ? true : undefined), 'the outbox to be empty', { timeoutMs: 45_000 });
    } finally {
      await db.close();
    }
  });
});
