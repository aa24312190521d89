import assert from 'node:assert/strict';
import { NEEDS_MYSQL, skipBecause } from '@merchant-platform/common/testing/skip';
import { randomUUID } from 'node:crypto';
import { request } from '@merchant-platform/common/testing/http-server';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { FakeSes } from './support/fake-ses.js';
import { SesEmulator } from '@merchant-platform/common/testing/ses-emulator';
import { countByStatus, waitFor, SERVICE_TOKEN, startEmailService, type RunningEmailService } from './support/email-service.js';

const token = SERVICE_TOKEN;
const welcome = (to: string) => ({ to, template: 'welcome', data: { name: 'Ada' } });

/** Queues mails over HTTP, `parallel` requests at a time; resolves with the ids. */
async function queue(service: RunningEmailService, addresses: string[], parallel = 20): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < addresses.length; i += parallel) {
    const results = await Promise.all(
      addresses.slice(i, i + parallel).map((to) => request(service.url, 'POST', '/emails', { token, json: welcome(to) })),
    );
    for (const r of results) {
      assert.equal(r.status, 202, r.text);
      ids.push(r.body.id);
    }
  }
  return ids;
}

/** Each address's number of mails in the emulator's store. */
async function deliveriesPerAddress(ses: SesEmulator, domain: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const mail of await ses.emails()) {
    for (const to of mail.destination.to) if (to.endsWith(domain)) counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
}

describe('e-mail delivery', function () {
  this.timeout(60_000);
  let testDb: TestDatabase;
  let ses: SesEmulator;

  before(async () => {
    testDb = await createTestDatabase();
    ses = await SesEmulator.start();
  });
  after(async () => {
    await ses?.stop();
    await testDb?.drop();
  });

  describe('through the SES emulator', () => {
    let service: RunningEmailService;
    before(async () => {
      service = await startEmailService({
        databaseUrl: testDb.url,
        env: { SES_ENDPOINT: ses.endpoint, EMAIL_MAX_ATTEMPTS: '50', EMAIL_RETRY_BASE_MS: '50', EMAIL_RETRY_MAX_MS: '300' },
      });
    });
    after(async () => service?.close());

    it('delivers all of 200 mails queued during an SES outage, each exactly once, once SES is back', async () => {
      const domain = `@outage-${randomUUID().slice(0, 8)}.example.com`;
      const addresses = Array.from({ length: 200 }, (_, i) => `m${i}${domain}`);
      await ses.stop();
      try {
        await queue(service, addresses);
        // The dispatcher keeps trying while SES is down, and nothing is given up on.
        const retrying = await waitFor(
          'retries during the outage',
          async () => {
            const [rows] = await service.db.sequelize.query(
              'SELECT status, MAX(attempts) AS attempts, MAX(last_error) AS last_error FROM email_outbox WHERE recipient LIKE ? GROUP BY status',
              { replacements: [`%${domain}`] },
            );
            return rows as { status: string; attempts: number; last_error: string | null }[];
          },
          (rows) => rows.length === 1 && rows[0]!.status === 'queued' && Number(rows[0]!.attempts) > 1,
        );
        assert.match(retrying[0]!.last_error!, /^no answer from SES: /);
      } finally {
        await ses.restart();
      }
      await waitFor(
        'every row sent',
        () => countByStatus(service.db, `%${domain}`),
        (c) => c.sent === 200,
        30_000,
      );
      const delivered = await deliveriesPerAddress(ses, domain);
      assert.equal(delivered.size, 200);
      assert.deepEqual([...new Set(delivered.values())], [1]);
      const [rows] = await service.db.sequelize.query(
        'SELECT COUNT(*) AS n FROM email_outbox WHERE recipient LIKE ? AND status = ? AND message_id IS NOT NULL AND sent_at IS NOT NULL AND data IS NULL',
        { replacements: [`%${domain}`, 'sent'] },
      );
      assert.equal(Number((rows as { n: number }[])[0]!.n), 200);
    });

    it('two instances on one MariaDB database deliver 500 mails, each exactly once', async function () {
      // Several dispatchers need MySQL's SKIP LOCKED; SQLite (all-in-one) runs one.
      if (testDb.dialect !== 'mysql') skipBecause(this, NEEDS_MYSQL);
      const second = await startEmailService({
        databaseUrl: testDb.url,
        env: { SES_ENDPOINT: ses.endpoint, EMAIL_BATCH_SIZE: '10' },
        dispatch: false,
      });
      try {
        const domain = `@replicas-${randomUUID().slice(0, 8)}.example.com`;
        const addresses = Array.from({ length: 500 }, (_, i) => `m${i}${domain}`);
        // All 500 due before either dispatcher runs, then both start at once: they compete for the same rows.
        await service.module.stop!();
        await Promise.all([queue(service, addresses.slice(0, 250), 10), queue(second, addresses.slice(250), 10)]);
        service.module.start!();
        second.module.start!();
        await waitFor(
          'every row sent',
          () => countByStatus(service.db, `%${domain}`),
          (c) => c.sent === 500,
          40_000,
        );
        const delivered = await deliveriesPerAddress(ses, domain);
        assert.equal(delivered.size, 500);
        assert.deepEqual([...new Set(delivered.values())], [1], 'no address got two mails');
        const sentBy = await Promise.all(
          [service, second].map(async (s) => {
            const text = await s.metrics.registry.getSingleMetricAsString('email_messages_total');
            return [...text.matchAll(/status="sent"\} (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
          }),
        );
        assert.ok(
          sentBy.every((n) => n > 0),
          `both instances sent some: ${sentBy.join(', ')}`,
        );
      } finally {
        await second.close();
      }
    });
  });

  describe('through a fake SES that rejects, throttles and fails', () => {
    let fake: FakeSes;
    let service: RunningEmailService;
    before(async () => {
      fake = await FakeSes.start();
      service = await startEmailService({ databaseUrl: testDb.url, env: { SES_ENDPOINT: fake.endpoint, EMAIL_MAX_ATTEMPTS: '3' } });
    });
    after(async () => {
      await service?.close();
      await fake?.close();
    });
    const status = (id: string) => request(service.url, 'GET', `/emails/${id}`, { token });
    const final = (id: string) =>
      waitFor(
        `email ${id} to be final`,
        () => status(id),
        (r) => r.body?.status !== 'queued',
      );

    it('marks a permanent rejection failed after one attempt, with the reason', async () => {
      const to = `reject-${randomUUID().slice(0, 8)}@example.com`;
      const [id] = await queue(service, [to]);
      const res = await final(id!);
      assert.deepEqual(
        { ...res.body, created_at: 'x' },
        {
          id,
          status: 'failed',
          attempts: 1,
          template: 'welcome',
          to,
          message_id: null,
          last_error: 'MessageRejected: Email address is not verified.',
          created_at: 'x',
          sent_at: null,
        },
      );
      // A failed row is never claimed again, so this count is final.
      assert.equal(fake.requests.filter((r) => r.to === to).length, 1);
    });

    it('retries a throttled send and then sends it', async () => {
      const to = `throttle-once-${randomUUID().slice(0, 8)}@example.com`;
      const [id] = await queue(service, [to]);
      const res = await final(id!);
      assert.equal(res.body.status, 'sent');
      assert.equal(res.body.attempts, 2);
      assert.match(res.body.message_id, /^fake-\d+$/);
      assert.equal(res.body.last_error, 'Throttling: Maximum sending rate exceeded.');
      assert.equal(fake.requests.filter((r) => r.to === to).length, 2);
      assert.deepEqual(
        fake.accepted.filter((a) => a === to),
        [to],
      );
    });

    it('retries 5xx answers up to EMAIL_MAX_ATTEMPTS, then fails', async () => {
      const to = `server-error-${randomUUID().slice(0, 8)}@example.com`;
      const [id] = await queue(service, [to]);
      const res = await final(id!);
      assert.equal(res.body.status, 'failed');
      assert.equal(res.body.attempts, 3);
      assert.equal(res.body.last_error, 'InternalFailure: The request processing has failed.');
      assert.equal(fake.requests.filter((r) => r.to === to).length, 3);
    });

    it('counts final statuses and attempts by template in the metrics', async () => {
      const text = await request(service.url, 'GET', '/metrics').then((r) => r.text);
      assert.match(text, /^email_messages_total\{template="welcome",status="failed"\} 2$/m);
      assert.match(text, /^email_messages_total\{template="welcome",status="sent"\} 1$/m);
      assert.match(text, /^email_send_attempts_total\{template="welcome",outcome="retry"\} 3$/m);
      assert.match(text, /^email_queue_depth 0$/m);
      assert.match(text, /^email_oldest_queued_age_seconds 0$/m);
      // SES answered every failed send above, so none of the resends can be a duplicate.
      assert.doesNotMatch(text, /^email_possible_duplicates_total\{/m);
    });

    it('counts the resend of a send that timed out as a possible duplicate, since SES may have taken it', async () => {
      const to = `hang-once-${randomUUID().slice(0, 8)}@example.com`;
      const [id] = await queue(service, [to]);
      const res = await final(id!);
      assert.equal(res.body.status, 'sent');
      assert.equal(res.body.attempts, 2);
      assert.match(res.body.last_error, /^no answer from SES: TimeoutError/);
      assert.deepEqual(
        fake.accepted.filter((a) => a === to),
        [to],
      );
      const text = await request(service.url, 'GET', '/metrics').then((r) => r.text);
      assert.match(text, /^email_possible_duplicates_total\{template="welcome"\} 1$/m);
    });

    it('stop() waits for the send in flight and records it', async () => {
      const to = `slow-${randomUUID().slice(0, 8)}@example.com`;
      const [id] = await queue(service, [to]);
      await waitFor('the send to start', async () => fake.requests.some((r) => r.to === to), Boolean);
      await service.module.stop!();
      const [rows] = await service.db.sequelize.query('SELECT status FROM email_outbox WHERE id = ?', { replacements: [id] });
      assert.deepEqual(rows, [{ status: 'sent' }]);
      service.module.start!();
    });
  });

  describe('after a send whose outcome was never recorded', () => {
    /** A counter's total over several instances' registries. */
    const total = async (services: RunningEmailService[], name: string) => {
      const texts = await Promise.all(services.map((s) => s.metrics.registry.getSingleMetricAsString(name)));
      return texts.flatMap((t) => [...t.matchAll(/^\w+\{[^}]*\} (\d+)$/gm)]).reduce((sum, m) => sum + Number(m[1]), 0);
    };

    it('resends once a row whose lease expired after a marked send, and counts it as a possible duplicate', async () => {
      // On MariaDB two replicas race for the row, as after a crash in a real deployment.
      const replicas = testDb.dialect === 'mysql' ? 2 : 1;
      const services: RunningEmailService[] = [];
      for (let i = 0; i < replicas; i++) {
        services.push(await startEmailService({ databaseUrl: testDb.url, env: { SES_ENDPOINT: ses.endpoint }, dispatch: false }));
      }
      try {
        const to = `crashed-${randomUUID().slice(0, 8)}@example.com`;
        const { id } = await services[0]!.module.outbox.enqueue('auth', { to, template: 'verify_email', data: { code: '161803' } });
        // What a dispatcher killed between its mark and its record leaves: claimed once, marked, the lease run out.
        const longAgo = new Date(Date.now() - 60_000);
        await services[0]!.db.sequelize.query(
          'UPDATE email_outbox SET attempts = 1, claim_token = ?, send_attempted_at = ?, next_attempt_at = ? WHERE id = ?',
          { replacements: [randomUUID(), longAgo, longAgo, id] },
        );
        await Promise.all(services.map((s) => s.module.dispatcher.dispatchBatch()));
        const [rows] = await services[0]!.db.sequelize.query('SELECT status, attempts FROM email_outbox WHERE id = ?', {
          replacements: [id],
        });
        assert.deepEqual(
          (rows as { status: string; attempts: number }[]).map((r) => ({ status: r.status, attempts: Number(r.attempts) })),
          [{ status: 'sent', attempts: 2 }],
        );
        const mails = await ses.emailsTo(to);
        assert.equal(mails.length, 1);
        assert.match(mails[0]!.body.text!, /Your verification code is: 161803\n/);
        assert.equal(await total(services, 'email_possible_duplicates_total'), 1);
        const warning = services
          .flatMap((s) => s.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>))
          .find((l) => l.email_id === id && l.previous_send_at);
        assert.match(String(warning?.msg), /may arrive twice/);
      } finally {
        await Promise.all(services.map((s) => s.close()));
      }
    });

    it('does not count a row whose lease expired before its send was marked: nothing can have gone', async () => {
      const service = await startEmailService({ databaseUrl: testDb.url, env: { SES_ENDPOINT: ses.endpoint }, dispatch: false });
      try {
        const to = `unmarked-${randomUUID().slice(0, 8)}@example.com`;
        const { id } = await service.module.outbox.enqueue('auth', { to, template: 'verify_email', data: { code: '141421' } });
        const longAgo = new Date(Date.now() - 60_000);
        await service.db.sequelize.query('UPDATE email_outbox SET attempts = 1, claim_token = ?, next_attempt_at = ? WHERE id = ?', {
          replacements: [randomUUID(), longAgo, id],
        });
        await service.module.dispatcher.dispatchBatch();
        assert.equal((await ses.emailsTo(to)).length, 1);
        assert.equal(await total([service], 'email_possible_duplicates_total'), 0);
      } finally {
        await service.close();
      }
    });
  });

  describe('with EMAIL_TRANSPORT=log', () => {
    it('writes the rendered message, code included, to the log under `text` instead of sending it', async () => {
      const service = await startEmailService({ databaseUrl: testDb.url, env: { EMAIL_TRANSPORT: 'log' } });
      try {
        const to = `log-${randomUUID().slice(0, 8)}@example.com`;
        const res = await request(service.url, 'POST', '/emails', {
          token,
          json: { to, template: 'verify_email', data: { code: '246810' } },
        });
        const line = await waitFor(
          'the log line',
          async () =>
            service.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.email_id === res.body.id && l.text),
          Boolean,
        );
        assert.equal(line!.to, to);
        assert.equal(line!.subject, 'Confirm your e-mail address');
        assert.match(String(line!.text), /Your verification code is: 246810\n/);
        assert.match(String(line!.message_id), /^log-/);
        assert.equal((await ses.emailsTo(to)).length, 0);
        const sent = await waitFor(
          'sent',
          () => request(service.url, 'GET', `/emails/${res.body.id}`, { token }),
          (r) => r.body?.status === 'sent',
        );
        assert.equal(sent.body.message_id, line!.message_id);
      } finally {
        await service.close();
      }
    });
  });
});
