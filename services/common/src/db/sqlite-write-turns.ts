import { TimeoutError, type Sequelize } from 'sequelize';

/**
 * SQLite has one writer at a time, and every transaction here begins IMMEDIATE (it takes the
 * write lock at BEGIN) with no busy wait on the connection. Left alone, a burst of concurrent
 * transactions in one process meant every BEGIN but one failed and retried on a back-off timer:
 * under 32 concurrent writers the bench measured multi-second p99s, most of the CPU spent on
 * failed attempts, and some requests running out of retries (503). So this process's
 * transactions take turns here, in arrival order, and only other processes on the same file
 * still meet SQLITE_BUSY (and Sequelize's retry).
 *
 * Only top-level managed transactions queue: one joined with `{ transaction }` (a savepoint on
 * the same connection) runs inside its parent's turn. A turn waited for longer than `waitMs`
 * fails as a timeout (answered 503), so a mistake can never hang a request.
 */
export function takeTurnsToWrite(sequelize: Sequelize, waitMs: number): void {
  const begin = sequelize.transaction.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
  let last: Promise<void> = Promise.resolve();

  const inTurn = async <T>(work: () => Promise<T>): Promise<T> => {
    const previous = last;
    let done!: () => void;
    last = new Promise<void>((resolve) => (done = resolve));
    try {
      await waitFor(previous, waitMs);
      return await work();
    } finally {
      done();
    }
  };

  (sequelize as unknown as { transaction: (...args: unknown[]) => Promise<unknown> }).transaction = (...args: unknown[]) => {
    const [options, callback] = typeof args[0] === 'function' ? [{}, args[0]] : [args[0] ?? {}, args[1]];
    const joinsAnother = Boolean((options as { transaction?: unknown }).transaction);
    if (typeof callback !== 'function' || joinsAnother) return begin(...args);
    return inTurn(() => begin(options, callback));
  };
}

async function waitFor(turn: Promise<void>, waitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    const parent = Object.assign(new Error('waited too long for a turn to write to SQLite'), { sql: 'BEGIN IMMEDIATE' });
    timer = setTimeout(() => reject(new TimeoutError(parent)), waitMs);
  });
  try {
    await Promise.race([turn, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
