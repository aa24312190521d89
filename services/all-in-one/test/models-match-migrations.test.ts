import assert from 'node:assert/strict';
import type { Model, ModelStatic } from 'sequelize';
import { loadAuthConfig } from '@merchant-platform/auth/config';
import { SigningKeys } from '@merchant-platform/auth/domain/signing-keys';
import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { createMetrics } from '@merchant-platform/common/metrics';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { sessionModel } from '@merchant-platform/console/data/session-model';
import { loadEmailConfig } from '@merchant-platform/email/app';
import { createPlatformModules, migrateAll } from '../src/platform.js';

interface ColumnShape {
  nullable: boolean;
  primaryKey: boolean;
  /** Sequelize fills it on every insert (a primary key the code generates, a timestamp it manages). */
  alwaysSet: boolean;
}

/** What a model expects of each column it reads and writes, by the column's name in the table. */
function expectedColumns(model: ModelStatic<Model>): Map<string, ColumnShape> {
  const { timestamps, createdAt, updatedAt } = model.options;
  const managed = new Set(timestamps ? [createdAt, updatedAt].filter((name) => typeof name === 'string') : []);
  const columns = new Map<string, ColumnShape>();
  for (const [name, attribute] of Object.entries(model.getAttributes())) {
    const column = attribute.field ?? name;
    const primaryKey = attribute.primaryKey === true;
    columns.set(column, {
      nullable: !primaryKey && attribute.allowNull !== false,
      primaryKey,
      alwaysSet: primaryKey || managed.has(column),
    });
  }
  return columns;
}

/**
 * The table's unique indexes, each as its sorted columns: a model may key its rows by one of them
 * (merchant_memberships has no primary key: its unique index on both ids is its key).
 */
async function uniqueIndexes(db: Database, table: string): Promise<string[][]> {
  const indexes = (await db.sequelize.getQueryInterface().showIndex(table)) as unknown as TableIndex[];
  return indexes.filter((index) => index.primary || index.unique).map((index) => index.fields.map((field) => field.attribute).sort());
}
interface TableIndex {
  primary: boolean;
  unique: boolean;
  fields: { attribute: string }[];
}

/**
 * The models are written by hand next to the migrations that create their tables, so nothing
 * but this test notices when the two disagree: a column a model writes that no migration made
 * (every such write fails in production), or a NOT NULL the model does not know of (its inserts
 * fail only once the value is missing). Every model of every service is built, as all-in-one
 * builds them, on a database migrated from empty, and compared with what the database reports.
 */
describe('every model matches the table its migrations create', function () {
  this.timeout(60_000);
  let testDb: TestDatabase;
  let db: Database;

  before(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase(testDb.url);
    const context = { db, logger: captureLogs().logger, metrics: createMetrics(), openapi: createOpenApiRegistry() };
    await migrateAll(context);
    createPlatformModules(context, {
      jwtPrivateKey: SigningKeys.generatePem(),
      auth: { ...loadAuthConfig({}), PASSWORD_PEPPER: 'a-test-pepper-of-at-least-32-characters' },
      email: loadEmailConfig({ EMAIL_TRANSPORT: 'log' }),
    });
    // The console is a service of its own; its one model is built by its session store.
    sessionModel(db.sequelize);
  });
  after(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('builds a model for every table but the migrators’ and rate limiters’ own', async () => {
    const tables = (await db.sequelize.getQueryInterface().showAllTables()).map(String);
    const modelled = new Set(Object.values(db.sequelize.models).map((model) => String(model.getTableName())));
    const unmodelled = tables.filter((table) => !modelled.has(table) && !/_migrations$|^SequelizeMeta$|rate_limit/.test(table));
    assert.deepEqual(unmodelled, []);
    assert.ok(modelled.size >= 15, `only ${modelled.size} models were built`);
  });

  it('has, for each model, the columns it names, as nullable as it expects, keyed as it keys them', async () => {
    const mismatches: string[] = [];
    for (const model of Object.values(db.sequelize.models)) {
      const table = String(model.getTableName());
      const actual = await db.sequelize.getQueryInterface().describeTable(table);
      const expected = expectedColumns(model);
      for (const [column, shape] of expected) {
        const found = actual[column];
        if (!found) mismatches.push(`${table}.${column}: the model has it, the table does not`);
        // MySQL makes every key column NOT NULL and SQLite does not; the model sets them either way.
        else if (!shape.alwaysSet && found.allowNull !== shape.nullable) {
          mismatches.push(`${table}.${column}: ${shape.nullable ? 'NULL' : 'NOT NULL'} in the model, not in the table`);
        }
      }
      for (const [column, found] of Object.entries(actual)) {
        // A column the model does not know is harmless only if an insert may leave it out.
        if (!expected.has(column) && !found.allowNull && found.defaultValue === null) {
          mismatches.push(`${table}.${column}: NOT NULL without a default in the table, unknown to the model`);
        }
      }
      // By column name: an attribute's `field` may differ from its name.
      const modelKey = [...expected]
        .filter(([, shape]) => shape.primaryKey)
        .map(([column]) => column)
        .sort();
      const primaryKey = Object.keys(actual)
        .filter((column) => actual[column]!.primaryKey)
        .sort();
      const keys = [primaryKey, ...(await uniqueIndexes(db, table))];
      if (!keys.some((key) => key.join() === modelKey.join())) {
        mismatches.push(`${table}: the model's key (${modelKey.join(', ')}) is no primary key or unique index of the table`);
      }
    }
    assert.deepEqual(mismatches, []);
  });
});
