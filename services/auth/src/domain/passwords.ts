import { createHash, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import bcrypt from 'bcrypt';
import { unprocessable } from '@merchant-platform/common/errors';

export const PASSWORD_POLICY =
  'Passwords need 8 to 128 characters, with at least one lower-case letter, one upper-case letter, one digit and one of @$!%*?&.';

export function assertStrongPassword(password: string): void {
  const strong =
    password.length >= 8 &&
    password.length <= 128 &&
    /[a-z]/.test(password) &&
    /[A-Z]/.test(password) &&
    /\d/.test(password) &&
    /[@$!%*?&]/.test(password);
  if (!strong) throw unprocessable('weak_password', PASSWORD_POLICY);
}

export function assertPasswordsMatch(password: string, confirmation: string): void {
  if (password !== confirmation) throw unprocessable('password_mismatch', 'The password and its confirmation differ.');
}

/**
 * bcrypt runs on libuv's thread pool, which SQLite queries, file reads and async crypto share.
 * If every thread hashes, a sign-in storm queues everyone's queries behind whole bcrypt rounds
 * (seconds at cost 12). So at most pool size - 1 hashes run at once: one thread stays free,
 * and extra sign-ins wait here instead. (To hash on N cores, run with UV_THREADPOOL_SIZE=N+1.)
 * Nor more than there are cores: extra hashing threads add no throughput, only time-slices
 * taken from the event loop, which is what a read waits for during a storm.
 */
const HASHING_THREADS = Math.max(1, Math.min((Number(process.env.UV_THREADPOOL_SIZE) || 4) - 1, availableParallelism()));
let freeThreads = HASHING_THREADS;
const waiting: (() => void)[] = [];

async function onHashingThread<T>(task: () => Promise<T>): Promise<T> {
  if (freeThreads > 0) freeThreads -= 1;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await task();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else freeThreads += 1;
  }
}

/**
 * bcrypt, always asynchronous so hashing runs on libuv's thread pool, never the event loop.
 * bcrypt reads at most 72 bytes, so the password is first condensed with SHA-256 (base64, so
 * no NUL byte cuts it short): a 128-character password keeps all of its strength.
 */
export class PasswordHasher {
  private readonly dummyHash: Promise<string>;

  constructor(readonly cost: number) {
    // Compared against when the email is unknown, so both paths cost one bcrypt comparison.
    this.dummyHash = onHashingThread(() => bcrypt.hash(randomBytes(16).toString('hex'), cost));
  }

  hash(password: string): Promise<string> {
    return onHashingThread(() => bcrypt.hash(condense(password), this.cost));
  }

  verify(password: string, hash: string): Promise<boolean> {
    return onHashingThread(() => bcrypt.compare(condense(password), hash));
  }

  /** Spends the same time as `verify` and always fails: for unknown accounts. */
  async verifyNobody(password: string): Promise<false> {
    const dummy = await this.dummyHash;
    await onHashingThread(() => bcrypt.compare(condense(password), dummy));
    return false;
  }

  needsRehash(hash: string): boolean {
    return bcrypt.getRounds(hash) !== this.cost;
  }
}

function condense(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('base64');
}
