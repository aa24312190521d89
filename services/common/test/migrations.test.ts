import assert from 'node:assert/strict';
import { DataTypes } from 'sequelize';
import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { SchemaMigrator, type Migration } from '@merchant-platform/common/db/migrations';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { NEEDS_MYSQL, skipBecause } from '@merchant-platform/common/testing/skip';

const migrations: Migration[] = [
  {
    name: '0001-create-widgets',
    async up(qi) {
      await qi.createTable('widgets', { id: { type: DataTypes.STRING(36), primaryKey: true } });
    },
  },
  {
    name: '0002-add-colour',
    async up(qi) {
      await qi.addColumn('widgets', 'colour', { type: DataTypes.STRING(20), allowNull: true });
    },
  },
];

describe('schema migrations', () => {
  let testDb: TestDatabase;
  const opened: Database[] = [];
  const open = async () => {
    const db = await openDatabase(testDb.url);
    opened.push(db);
    return db;
  };

  beforeEach(async () => {
    testDb = await createTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
    await testDb.drop();
  });

  it('reports the schema as behind until every migration of the build is applied', async () => {
    const db = await open();
    const migrator = new SchemaMigrator(db, 'widgets', migrations);
    await assert.rejects(migrator.assertCurrent());
    await new SchemaMigrator(db, 'widgets', migrations.slice(0, 1)).up();
    await assert.rejects(migrator.assertCurrent(), /1 migration\(s\) pending/);
    assert.deepEqual(await migrator.up(), ['0002-add-colour']);
    await migrator.assertCurrent();
    assert.deepEqual(await migrator.up(), [], 'applying again changes nothing');
  });

  it('keeps each service’s history in its own table on a shared database', async () => {
    const db = await open();
    await new SchemaMigrator(db, 'widgets', migrations).up();
    const other = new SchemaMigrator(db, 'gadgets', [
      {
        name: '0001-create-widgets',
        up: async (qi) => void (await qi.createTable('gadgets', { id: { type: DataTypes.STRING(36), primaryKey: true } })),
      },
    ]);
    await assert.rejects(other.assertCurrent(), 'the same migration name in another service is not applied yet');
    assert.deepEqual(await other.up(), ['0001-create-widgets']);
    await other.assertCurrent();
  });

  it('serialises concurrent migrators so each migration runs once (MySQL GET_LOCK)', async function () {
    // SQLite is single-process: there is nobody to race.
    if (testDb.dialect !== 'mysql') skipBecause(this, NEEDS_MYSQL);
    const dbs = await Promise.all([open(), open(), open()]);
    const results = await Promise.all(dbs.map((db) => new SchemaMigrator(db, 'widgets', migrations).up()));
    assert.deepEqual(results.flat().sort(), ['0001-create-widgets', '0002-add-colour']);
  });
});
