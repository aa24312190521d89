import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { DataTypes, QueryTypes } from 'sequelize';
import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { SchemaMigrator } from '@merchant-platform/common/db/migrations';
import { withTransaction } from '@merchant-platform/common/db/transaction-scope';
import { EventConsumer } from '@merchant-platform/common/events/consumer';
import { eventConsumerRoutes } from '@merchant-platform/common/events/consumer-routes';
import type { DeliveredEvent } from '@merchant-platform/common/events/event';
import { EventLog } from '@merchant-platform/common/events/event-log';
import { createEventLogMigration, createProcessedEventsMigration } from '@merchant-platform/common/events/event-table-migrations';
import { HttpEventTransport } from '@merchant-platform/common/events/http-transport';
import { EventRecorder } from '@merchant-platform/common/events/recorder';
import { EventRelay } from '@merchant-platform/common/events/relay';
import { InProcessEventTransport, type EventTransport } from '@merchant-platform/common/events/transport';
import { ApiRouter } from '@merchant-platform/common/http/api-router';
import { createApp } from '@merchant-platform/common/http/app';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { createMetrics } from '@merchant-platform/common/metrics';
import { runWithRequestOrigin } from '@merchant-platform/common/request-origin';
import { SharedSecretAuthenticator } from '@merchant-platform/common/service-auth/shared-secret';
import { CONTRACT_EVENT_KEYS } from '@merchant-platform/common/testing/event-shape';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { freePort } from '@merchant-platform/common/testing/ports';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';

const SERVICE_TOKEN = 'events-test-service-token';
const FAST = { pollIntervalMs: 50, batchSize: 20, leaseMs: 5_000, retryBaseMs: 100, retryMaxMs: 300 };

/** A "producer" recording events and a "ledger" consumer counting the user.deleted it acted on, in one database. */
describe('the event pipeline (recorder, outbox relay, consumer)', () => {
  let testDb: TestDatabase;
  let db: Database;
  let recorder: EventRecorder;
  let consumer: EventConsumer;
  const { logger } = captureLogs('silent');
  const stoppers: (() => Promise<unknown>)[] = [];

  const actions = async () =>
    (
      await db.sequelize.query<{ event_id: string }>('SELECT event_id FROM ledger_actions ORDER BY event_id', { type: QueryTypes.SELECT })
    ).map((row) => row.event_id);
  const outboxRows = () =>
    db.sequelize.query<{ attempts: number; last_error: string | null }>('SELECT attempts, last_error FROM producer_event_outbox', {
      type: QueryTypes.SELECT,
    });
  const recordDeletion = (userId: string) =>
    withTransaction(db.sequelize, () =>
      recorder.record({
        type: 'user.deleted',
        actor: { type: 'user', id: userId },
        subject: { type: 'user', id: userId },
        data: {},
        delivery: { email: `${userId}@example.com` },
      }),
    );
  const startRelay = (transport: EventTransport) => {
    const relay = new EventRelay(db, 'producer', transport, logger, FAST);
    recorder.onDeliveriesCommitted(() => relay.wake());
    relay.start();
    stoppers.push(() => relay.stop());
    return relay;
  };

  beforeEach(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase(testDb.url);
    await new SchemaMigrator(db, 'events-test', [
      createEventLogMigration('0001-producer-events', 'producer'),
      createProcessedEventsMigration('0002-ledger-processed-events', 'ledger'),
      {
        name: '0003-ledger-actions',
        up: (qi) => qi.createTable('ledger_actions', { event_id: { type: DataTypes.STRING(36), primaryKey: true } }),
      },
    ]).up();
    recorder = new EventRecorder(db.sequelize, 'producer', { 'user.deleted': ['ledger'] });
    consumer = new EventConsumer(db.sequelize, 'ledger', {
      'user.deleted': async (event) => {
        await withTransaction(db.sequelize, (transaction) =>
          db.sequelize.query('INSERT INTO ledger_actions (event_id) VALUES (?)', { replacements: [event.id], transaction }),
        );
      },
    });
  });

  afterEach(async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop();
    await db.close();
    await testDb.drop();
  });

  it('stores the event with its request origin and only the data fields its type allows', async () => {
    await runWithRequestOrigin({ ip: '203.0.113.9', userAgent: 'test-agent/1', requestId: 'req-1' }, () =>
      withTransaction(db.sequelize, () =>
        recorder.record({
          type: 'user.registered',
          actor: { type: 'user', id: 'u1' },
          subject: { type: 'user', id: 'u1' },
          data: { email: 'a@example.com', method: 'password', password: 'hunter2', code: '123456' } as never,
        }),
      ),
    );
    const page = await new EventLog(db.sequelize, 'producer').list({}, { limit: 10, cursor: undefined });
    assert.equal(page.items.length, 1);
    const [event] = page.items;
    assert.deepEqual(Object.keys(event!).sort(), CONTRACT_EVENT_KEYS);
    assert.deepEqual(
      { ...event, id: undefined, created_at: undefined },
      {
        id: undefined,
        created_at: undefined,
        type: 'user.registered',
        actor: { type: 'user', id: 'u1' },
        subject: { type: 'user', id: 'u1' },
        merchant_id: null,
        ip: '203.0.113.9',
        user_agent: 'test-agent/1',
        request_id: 'req-1',
        data: { email: 'a@example.com', method: 'password' },
      },
    );
  });

  it('refuses to record an event outside a transaction', async () => {
    await assert.rejects(
      recorder.record({ type: 'user.disabled', actor: { type: 'system', id: null }, subject: { type: 'user', id: 'u1' }, data: {} }),
      /outside a transaction/,
    );
  });

  it('never stores nor delivers an event whose transaction rolled back', async () => {
    startRelay(new InProcessEventTransport({ ledger: consumer }));
    await assert.rejects(
      withTransaction(db.sequelize, async () => {
        await recorder.record({
          type: 'user.deleted',
          actor: { type: 'user', id: 'gone' },
          subject: { type: 'user', id: 'gone' },
          data: {},
        });
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    await recordDeletion('kept');
    await eventually(async () => ((await actions()).length === 1 ? true : undefined), 'the committed event to be acted on');
    const page = await new EventLog(db.sequelize, 'producer').list({}, { limit: 10, cursor: undefined });
    assert.deepEqual(
      page.items.map((event) => event.subject.id),
      ['kept'],
    );
    assert.deepEqual(await outboxRows(), []);
  });

  it('retries delivery over HTTP while the consumer is down and delivers once it returns', async () => {
    const port = await freePort();
    startRelay(new HttpEventTransport({ consumers: { ledger: `http://127.0.0.1:${port}` }, credential: { token: SERVICE_TOKEN } }));
    await recordDeletion('u-down');
    const failed = await eventually(async () => {
      const [row] = await outboxRows();
      return row && row.attempts >= 2 ? row : undefined;
    }, 'two failed attempts');
    assert.match(failed.last_error ?? '', /fetch failed/);
    assert.deepEqual(await actions(), []);

    const server = await serveConsumer(consumer, port);
    stoppers.push(() => new Promise((resolve) => server.close(resolve)));
    await eventually(async () => ((await actions()).length === 1 ? true : undefined), 'delivery after the consumer returned');
    await eventually(async () => ((await outboxRows()).length === 0 ? true : undefined), 'the delivered row to be removed');
  });

  it('refuses a delivery without the service credential', async () => {
    const port = await freePort();
    const server = await serveConsumer(consumer, port);
    stoppers.push(() => new Promise((resolve) => server.close(resolve)));
    const wrong = new HttpEventTransport({
      consumers: { ledger: `http://127.0.0.1:${port}` },
      credential: { token: 'not-the-service-token' },
    });
    await assert.rejects(wrong.deliver('ledger', sampleDeletion('e-1')), /ledger answered 401/);
    assert.deepEqual(await actions(), []);
  });

  it('acts once on an event delivered twice, even concurrently', async () => {
    const port = await freePort();
    const server = await serveConsumer(consumer, port);
    stoppers.push(() => new Promise((resolve) => server.close(resolve)));
    const transport = new HttpEventTransport({ consumers: { ledger: `http://127.0.0.1:${port}` }, credential: { token: SERVICE_TOKEN } });
    const event = sampleDeletion('7b6f6f1e-0000-4000-8000-000000000001');
    await Promise.all([1, 2, 3, 4].map(() => transport.deliver('ledger', event)));
    await transport.deliver('ledger', event);
    assert.equal(await consumer.handle(event), 'duplicate');
    assert.deepEqual(await actions(), [event.id]);
  });

  it('calls listeners inside the recording transaction, so a rollback undoes their writes too', async () => {
    const seen: string[] = [];
    recorder.listen(async (event, transaction) => {
      seen.push(event.type);
      await db.sequelize.query('INSERT INTO ledger_actions (event_id) VALUES (?)', { replacements: [event.id], transaction });
    });
    await assert.rejects(
      withTransaction(db.sequelize, async () => {
        await recorder.record({
          type: 'user.disabled',
          actor: { type: 'system', id: null },
          subject: { type: 'user', id: 'u1' },
          data: {},
        });
        throw new Error('rolled back');
      }),
    );
    assert.deepEqual(seen, ['user.disabled']);
    assert.deepEqual(await actions(), []);
  });

  it("erases a deleted user's personal data from events but keeps the events", async () => {
    await runWithRequestOrigin({ ip: '198.51.100.1', userAgent: 'ua', requestId: 'r' }, () =>
      withTransaction(db.sequelize, async () => {
        await recorder.record({
          type: 'user.email_changed',
          actor: { type: 'user', id: 'u9' },
          subject: { type: 'user', id: 'u9' },
          data: { old_email: 'old@example.com', new_email: 'new@example.com' },
        });
        await recorder.record({
          type: 'mfa.enrolled',
          actor: { type: 'user', id: 'u9' },
          subject: { type: 'user', id: 'u9' },
          data: { factor_type: 'totp' },
        });
      }),
    );
    const log = new EventLog(db.sequelize, 'producer');
    assert.equal(await log.eraseUser('u9'), 2);
    const page = await log.list({ subjectId: 'u9' }, { limit: 10, cursor: undefined });
    assert.deepEqual(
      page.items.map((event) => ({ type: event.type, ip: event.ip, user_agent: event.user_agent, data: event.data })),
      [
        { type: 'user.email_changed', ip: null, user_agent: null, data: { old_email: null, new_email: null } },
        { type: 'mfa.enrolled', ip: null, user_agent: null, data: { factor_type: 'totp' } },
      ],
    );
  });

  async function serveConsumer(endpoint: EventConsumer, port: number): Promise<Server> {
    const openapi = createOpenApiRegistry();
    const app = createApp({
      title: 'ledger',
      version: 'test',
      modules: [
        {
          name: 'ledger',
          api: eventConsumerRoutes(new ApiRouter(openapi), endpoint, new SharedSecretAuthenticator(SERVICE_TOKEN)),
          readiness: [],
        },
      ],
      openapi,
      logger,
      metrics: createMetrics(),
      health: { draining: false },
      trustProxy: false,
      corsOrigins: [],
    });
    const server = app.listen(port, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    return server;
  }
});

function sampleDeletion(id: string): DeliveredEvent {
  return {
    id,
    type: 'user.deleted',
    created_at: new Date().toISOString(),
    actor: { type: 'user', id: 'u1' },
    subject: { type: 'user', id: 'u1' },
    merchant_id: null,
    ip: null,
    user_agent: null,
    request_id: null,
    data: {},
    delivery: { email: 'u1@example.com' },
  };
}
