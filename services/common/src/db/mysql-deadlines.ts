import mysql2 from 'mysql2';

type Callback = (error: (Error & { code?: string }) | null, ...rest: unknown[]) => void;
type QueryMethod = (sql: unknown, values?: unknown, callback?: unknown) => unknown;
type Connection = ReturnType<typeof mysql2.createConnection>;

/**
 * mysql2 as Sequelize's `dialectModule`, with a deadline on every statement. Sequelize passes
 * no per-query options to mysql2, so a frozen server would otherwise hold a request (and a
 * pooled connection) forever. A connection whose statement timed out is destroyed: its late
 * answer would be read as the answer to the next statement.
 */
export function mysql2WithQueryDeadline(timeoutMs: number): typeof mysql2 {
  return {
    ...mysql2,
    createConnection(config: Parameters<typeof mysql2.createConnection>[0]) {
      const connection = mysql2.createConnection(config);
      for (const name of ['query', 'execute'] as const) withDeadline(connection, name, timeoutMs);
      return connection;
    },
  } as typeof mysql2;
}

function withDeadline(connection: Connection, name: 'query' | 'execute', timeoutMs: number): void {
  const original = (connection[name] as QueryMethod).bind(connection);
  (connection as unknown as Record<string, QueryMethod>)[name] = (sql, values, callback) => {
    const options = typeof sql === 'string' ? { sql } : { ...(sql as object) };
    const done = (typeof values === 'function' ? values : callback) as Callback | undefined;
    const args = typeof values === 'function' || values === undefined ? [] : [values];
    const guarded: Callback = (error, ...rest) => {
      if (error?.code === 'PROTOCOL_SEQUENCE_TIMEOUT') connection.destroy();
      done?.(error, ...rest);
    };
    return original({ timeout: timeoutMs, ...options }, ...args, guarded);
  };
}
