import assert from 'node:assert/strict';
import { z } from 'zod';
import { createServer, type Server, type Socket } from 'node:net';
import { QueryTypes } from 'sequelize';
import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { ApiRouter } from '@merchant-platform/common/http/api-router';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { serveModules } from '@merchant-platform/common/testing/test-app';
import { request, type JsonResponse, type RunningServer } from '@merchant-platform/common/testing/http-server';
import { freePort } from '@merchant-platform/common/testing/ports';
import { eventually } from '@merchant-platform/common/testing/eventually';
import { PrivateMariadb, privateMariadbUnavailable } from '@merchant-platform/common/testing/private-mariadb';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';

/** An app whose one route and readiness check read the database, as every service's do. */
async function serveOn(db: Database, logs: ReturnType<typeof captureLogs>, statement = 'SELECT 1 AS one'): Promise<RunningServer> {
  const openapi = createOpenApiRegistry();
  const api = new ApiRouter(openapi).route({
    method: 'get',
    path: '/now',
    summary: 'run one statement',
    tags: ['test'],
    responses: { 200: { description: 'ok', schema: z.object({ ok: z.boolean() }) } },
    handler: async (ctx) => {
      await db.sequelize.query(statement);
      ctx.body = { ok: true };
    },
  });
  const check = async () => {
    await db.sequelize.query('SELECT 1 AS one', { type: QueryTypes.SELECT });
  };
  return serveModules({ modules: [{ name: 'test', api, readiness: [{ name: 'database', check }] }], openapi, logger: logs.logger });
}

function assertUnavailable(res: JsonResponse) {
  assert.equal(res.status, 503, res.text);
  assert.equal(res.body.error.code, 'unavailable');
  assert.match(res.headers.get('retry-after') ?? '', /^\d+$/);
}

/**
 * A MySQL server that accepts TCP connections and never greets: what a SIGSTOPped mysqld looks
 * like from the client (the kernel still completes the handshake).
 */
async function frozenMysql(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a database outage', () => {
  it('answers 503 unavailable with Retry-After on every route when the database refuses connections, logged once', async () => {
    const logs = captureLogs();
    const db = await openDatabase(`mysql://root@127.0.0.1:${await freePort()}/nowhere`, { logger: logs.logger, acquireTimeoutMs: 2_000 });
    const server = await serveOn(db, logs);
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => request(server.url, 'GET', '/now')));
      answers.forEach(assertUnavailable);
      assertUnavailable(await request(server.url, 'GET', '/readyz'));
      assert.equal(logs.lines.filter((l) => l.includes('database unavailable')).length, 1, logs.text());
      assert.doesNotMatch(logs.text(), /unhandled error|"stack"/);
    } finally {
      await server.close();
      await db.close();
    }
  });

  it('answers 503 within the acquire deadline when the database accepts connections but never answers', async () => {
    const logs = captureLogs();
    const frozen = await frozenMysql();
    const db = await openDatabase(`mysql://root@127.0.0.1:${frozen.port}/frozen`, { logger: logs.logger, acquireTimeoutMs: 500 });
    const server = await serveOn(db, logs);
    try {
      // The deadline is what is asserted: without one the request would hang past mocha's timeout.
      const answers = await Promise.all(Array.from({ length: 3 }, () => request(server.url, 'GET', '/now')));
      answers.forEach(assertUnavailable);
    } finally {
      await server.close();
      await db.close();
      await frozen.close();
    }
  });

  describe('on the test database', () => {
    let testDb: TestDatabase;
    before(async () => {
      testDb = await createTestDatabase();
    });
    after(() => testDb.drop());

    it('answers 503 when a statement waits on a lock past its deadline, and logs the outage and the recovery once each', async () => {
      const logs = captureLogs();
      const db = await openDatabase(testDb.url, { logger: logs.logger, queryTimeoutMs: 100 });
      const holder = await openDatabase(testDb.url);
      await db.sequelize.query('CREATE TABLE ticks (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
      await db.sequelize.query('INSERT INTO ticks (id, n) VALUES (1, 0)');
      const server = await serveOn(db, logs, 'UPDATE ticks SET n = n + 1 WHERE id = 1');
      try {
        // Another connection holds the row's write lock (SQLite: the database's) and does not let go.
        const lock = await holder.sequelize.transaction();
        await holder.sequelize.query('UPDATE ticks SET n = n + 1 WHERE id = 1', { transaction: lock });
        const answers = await Promise.all(Array.from({ length: 3 }, () => request(server.url, 'GET', '/now')));
        answers.forEach(assertUnavailable);
        await lock.commit();
        await eventually(
          async () => ((await request(server.url, 'GET', '/now')).status === 200 ? true : undefined),
          'the route to answer 200 again',
        );
        assert.equal(logs.lines.filter((l) => l.includes('database unavailable')).length, 1, logs.text());
        assert.equal(logs.lines.filter((l) => l.includes('database reachable again')).length, 1, logs.text());
        assert.doesNotMatch(logs.text(), /unhandled error|"stack"/);
      } finally {
        await server.close();
        await holder.close();
        await db.close();
      }
    });
  });

  describe('of a private MariaDB server, under load', function () {
    this.timeout(120_000);
    let mariadb: PrivateMariadb;
    before(async function () {
      const reason = !/^(mysql|mariadb):/.test(process.env.DATABASE_URL ?? '')
        ? 'the suite is not running on MySQL (DATABASE_URL)'
        : privateMariadbUnavailable();
      if (reason) {
        process.stdout.write(`    skipped: ${reason}\n`);
        this.skip();
      }
      mariadb = await PrivateMariadb.start();
    });
    after(() => mariadb?.remove());

    it('answers 503 while the server is frozen or killed, within the deadlines, and 200 again once it is back', async () => {
      const logs = captureLogs();
      const db = await openDatabase(mariadb.url, { logger: logs.logger, queryTimeoutMs: 1_000, acquireTimeoutMs: 1_000 });
      const server = await serveOn(db, logs);
      const seen = new Map<number, number>();
      let latest = 0;
      let running = true;
      const load = Array.from({ length: 4 }, async () => {
        while (running) {
          latest = (await request(server.url, 'GET', '/now')).status;
          seen.set(latest, (seen.get(latest) ?? 0) + 1);
        }
      });
      const answering = (status: number, what: string) =>
        eventually(() => (latest === status ? true : undefined), what, { timeoutMs: 30_000 });
      try {
        await answering(200, 'the load to be answered');
        process.kill(mariadb.pid, 'SIGSTOP');
        await answering(503, '503 while the server is frozen');
        process.kill(mariadb.pid, 'SIGCONT');
        await answering(200, '200 once the server is thawed');
        await mariadb.kill();
        await answering(503, '503 while the server is down');
        await mariadb.restart();
        await answering(200, '200 once the server is back');
      } finally {
        running = false;
        await Promise.all(load);
        await server.close();
        await db.close();
      }
      assert.deepEqual([...seen.keys()].sort(), [200, 503], JSON.stringify(Object.fromEntries(seen)));
      assert.ok(logs.lines.filter((l) => l.includes('database unavailable')).length >= 1, logs.text());
      assert.doesNotMatch(logs.text(), /unhandled error/);
    });
  });
});
