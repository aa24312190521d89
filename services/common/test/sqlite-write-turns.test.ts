import assert from 'node:assert/strict';
import { QueryTypes, Sequelize, TimeoutError, Transaction } from 'sequelize';
import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { takeTurnsToWrite } from '@merchant-platform/common/db/sqlite-write-turns';
import { withTransaction } from '@merchant-platform/common/db/transaction-scope';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';

// SQLite only, whatever DATABASE_URL says: the turns exist because SQLite has one writer.
describe('SQLite write turns', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeEach(async () => {
    testDb = await createTestDatabase('sqlite:');
    db = await openDatabase(testDb.url);
    await db.sequelize.query('CREATE TABLE counters (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)');
    await db.sequelize.query('INSERT INTO counters (id, value) VALUES (1, 0)');
  });
  afterEach(async () => {
    await db.close();
    await testDb.drop();
  });

  const readCounter = async (transaction?: Transaction) => {
    const [row] = await db.sequelize.query<{ value: number }>('SELECT value FROM counters WHERE id = 1', {
      type: QueryTypes.SELECT,
      transaction,
    });
    return Number(row!.value);
  };

  it('runs 60 concurrent read-then-write transactions one after another, in arrival order, losing none', async () => {
    const log: string[] = [];
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        withTransaction(db.sequelize, async (transaction) => {
          log.push(`begin ${i}`);
          const value = await readCounter(transaction);
          await new Promise((resolve) => setImmediate(resolve)); // let the others try to start
          await db.sequelize.query('UPDATE counters SET value = ? WHERE id = 1', { replacements: [value + 1], transaction });
          log.push(`end ${i}`);
        }),
      ),
    );
    assert.equal(await readCounter(), 60);
    assert.deepEqual(
      log,
      Array.from({ length: 60 }, (_, i) => [`begin ${i}`, `end ${i}`]).flat(),
      'no transaction began before the previous one ended',
    );
  });

  it('lets a transaction joined with { transaction } run inside its parent turn', async () => {
    await db.sequelize.transaction(async (outer) => {
      await db.sequelize.transaction({ transaction: outer }, async (inner) => {
        await db.sequelize.query('UPDATE counters SET value = 7 WHERE id = 1', { transaction: inner });
      });
    });
    assert.equal(await readCounter(), 7);
  });

  it('fails a transaction that waits too long for its turn with a timeout (a 503), never hanging', async () => {
    const sequelize = new Sequelize(testDb.url, { logging: false, transactionType: Transaction.TYPES.IMMEDIATE });
    takeTurnsToWrite(sequelize, 200);
    try {
      // A mistake: a second top-level transaction started inside the first's turn waits for it.
      const outcome = await sequelize.transaction(async () => sequelize.transaction(async () => 'never').catch((error: unknown) => error));
      assert.ok(outcome instanceof TimeoutError, `expected a TimeoutError, got ${String(outcome)}`);
    } finally {
      await sequelize.close();
    }
  });
});
