import { QueryTypes, type QueryInterface, type Sequelize } from 'sequelize';
import type { Umzug } from 'umzug';
import type { Logger } from '../logger.js';
import type { Database } from './database.js';

export interface Migration {
  /** Sortable and unique within the service, e.g. `0001-create-users`. */
  name: string;
  up(queryInterface: QueryInterface, sequelize: Sequelize): Promise<void>;
  down?(queryInterface: QueryInterface, sequelize: Sequelize): Promise<void>;
}

/** Serialises migrators across replicas and the pre-upgrade Job (MySQL only; SQLite is one process). */
const LOCK_NAME = 'merchant_platform_migrations';
const LOCK_WAIT_SECONDS = 300;

/**
 * A service's schema: its own migrations, recorded in its own table, so services sharing one
 * database (all-in-one mode) never step on each other's history.
 */
export class SchemaMigrator {
  readonly tableName: string;

  constructor(
    private readonly db: Database,
    readonly service: string,
    private readonly migrations: Migration[],
    private readonly logger?: Logger,
  ) {
    this.tableName = `${service.replace(/-/g, '_')}_schema_migrations`;
  }

  /**
   * Umzug (and the CLI libraries it pulls in) is loaded only to migrate: a service started
   * after the migration Job only runs `assertCurrent`, and loading it cost every start-up.
   */
  private async umzug(): Promise<Umzug<{ queryInterface: QueryInterface; sequelize: Sequelize }>> {
    const { SequelizeStorage, Umzug } = await import('umzug');
    const { db, migrations, logger } = this;
    const context = { queryInterface: db.sequelize.getQueryInterface(), sequelize: db.sequelize };
    return new Umzug({
      migrations: migrations.map((m) => ({
        name: m.name,
        up: ({ context: c }) => m.up(c.queryInterface, c.sequelize),
        down: ({ context: c }) => (m.down ? m.down(c.queryInterface, c.sequelize) : Promise.resolve()),
      })),
      context,
      // A model name per service: SequelizeStorage reuses an existing model of the same name,
      // which would make every service record its migrations in the first one's table.
      storage: new SequelizeStorage({ sequelize: db.sequelize, tableName: this.tableName, modelName: `${this.tableName}_model` }),
      logger: logger
        ? {
            info: (m) => logger.info({ migration: m }, 'migration'),
            warn: (m) => logger.warn({ migration: m }, 'migration'),
            error: (m) => logger.error({ migration: m }, 'migration'),
            debug: (m) => logger.debug({ migration: m }, 'migration'),
          }
        : undefined,
    });
  }

  /**
   * Applies pending migrations, holding the cross-process lock on MySQL. When every migration
   * is already recorded (the all-in-one process after its first start) it reads one table and
   * returns, without loading Umzug.
   */
  async up(): Promise<string[]> {
    if (await this.isCurrent()) return [];
    const umzug = await this.umzug();
    if (this.db.dialect !== 'mysql') return (await umzug.up()).map((m) => m.name);
    // A transaction pins one pooled connection, and GET_LOCK belongs to the connection.
    const lockHolder = await this.db.sequelize.transaction();
    try {
      const [row] = await this.db.sequelize.query<{ acquired: number | null }>('SELECT GET_LOCK(?, ?) AS acquired', {
        replacements: [LOCK_NAME, LOCK_WAIT_SECONDS],
        type: QueryTypes.SELECT,
        transaction: lockHolder,
      });
      if (row?.acquired !== 1) throw new Error(`could not take the migration lock within ${LOCK_WAIT_SECONDS}s`);
      try {
        return (await umzug.up()).map((m) => m.name);
      } finally {
        await this.db.sequelize.query('SELECT RELEASE_LOCK(?)', { replacements: [LOCK_NAME], transaction: lockHolder });
      }
    } finally {
      await lockHolder.commit();
    }
  }

  /**
   * Throws unless every migration this build knows is recorded: one query, no DDL, so it is
   * cheap enough for a readiness probe.
   */
  async assertCurrent(): Promise<void> {
    const missing = await this.pending();
    if (missing.length > 0) throw new Error(`${this.service}: ${missing.length} migration(s) pending`);
  }

  private async pending(): Promise<Migration[]> {
    const rows = await this.db.sequelize.query<{ name: string }>(`SELECT name FROM ${this.tableName}`, {
      type: QueryTypes.SELECT,
    });
    const applied = new Set(rows.map((r) => r.name));
    return this.migrations.filter((m) => !applied.has(m.name));
  }

  /** False also when the history table does not exist yet (a fresh database). */
  private async isCurrent(): Promise<boolean> {
    try {
      return (await this.pending()).length === 0;
    } catch {
      return false;
    }
  }
}
