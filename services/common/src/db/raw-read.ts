import type { Sequelize } from 'sequelize';

export type RawRow = Record<string, unknown>;

interface ConnectionManager {
  getConnection(options: object): Promise<unknown>;
  releaseConnection(connection: unknown): void | Promise<void>;
}
type SqliteConnection = { get(sql: string, params: unknown[], done: (error: Error | null, row?: RawRow) => void): void };
type MysqlConnection = { query(sql: string, params: unknown[], done: (error: Error | null, rows?: RawRow[]) => void): void };

/**
 * One row by an indexed lookup, straight through Sequelize's own connections (so its pool, its
 * MySQL statement deadline and SQLite's shared connection all apply) but without Sequelize's
 * query and model-instance machinery, which profiling showed to be a quarter of the CPU of the
 * hottest read. Only for single-table reads outside a transaction whose row the caller maps
 * itself; everything else keeps using models. Placeholders are `?`, bound by the driver.
 */
export async function selectOneRow(sequelize: Sequelize, sql: string, params: unknown[]): Promise<RawRow | undefined> {
  const manager = (sequelize as unknown as { connectionManager: ConnectionManager }).connectionManager;
  const connection = await manager.getConnection({ type: 'SELECT' });
  try {
    if (sequelize.getDialect() === 'sqlite') {
      return await new Promise((resolve, reject) =>
        (connection as SqliteConnection).get(sql, params, (error, row) => (error ? reject(error) : resolve(row))),
      );
    }
    return await new Promise((resolve, reject) =>
      (connection as MysqlConnection).query(sql, params, (error, rows) => (error ? reject(error) : resolve(rows?.[0]))),
    );
  } finally {
    await manager.releaseConnection(connection);
  }
}

/**
 * A DATETIME column as Sequelize reads it: MySQL's driver already gives a Date (Sequelize's type
 * cast, in UTC); SQLite gives the text Sequelize wrote, `2026-12-01 13:45:12.123 +00:00`.
 */
export function dateColumn(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(text.includes('+') ? text : `${text}+00:00`);
}
