import { createHash, createHmac, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import bcrypt from 'bcrypt';
import { passwordMismatch, weakPassword } from '@merchant-platform/common/errors';

const PASSWORD_POLICY =
  'Passwords need 8 to 128 characters, with at least one lower-case letter, one upper-case letter, one digit and one of @$!%*?&.';

export function assertStrongPassword(password: string): void {
  const strong =
    password.length >= 8 &&
    password.length <= 128 &&
    /[a-z]/.test(password) &&
    /[A-Z]/.test(password) &&
    /\d/.test(password) &&
    /[@$!%*?&]/.test(password);
  if (!strong) throw weakPassword(PASSWORD_POLICY);
}

export function assertPasswordsMatch(password: string, confirmation: string): void {
  if (password !== confirmation) throw passwordMismatch();
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

/** How many hashes run now and how many wait for a thread, for the metrics (auth's metrics.ts). */
export function hashingQueue(): { running: number; waiting: number; threads: number } {
  return { running: HASHING_THREADS - freeThreads, waiting: waiting.length, threads: HASHING_THREADS };
}

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

/** Marks a stored hash made from the peppered (HMAC) form of the password. */
const PEPPERED = 'hmac-sha256:';

/**
 * Marks a hash imported from the old system (passlib's `$2b$` bcrypt of the raw password, so
 * only its first 72 bytes count). It verifies against the raw password and is replaced by our
 * scheme at the first successful sign-in.
 */
export const PASSLIB_BCRYPT = 'passlib-bcrypt:';

/** The stored form of a passlib bcrypt hash, or undefined when the text is not one. */
export function importedPasslibHash(hashedPassword: string): string | undefined {
  return /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hashedPassword) ? PASSLIB_BCRYPT + hashedPassword : undefined;
}

/**
 * bcrypt, always asynchronous so hashing runs on libuv's thread pool, never the event loop.
 * bcrypt reads at most 72 bytes, so the password is first condensed to 44 base64 characters
 * (no NUL byte to cut it short): a 128-character password keeps all of its strength. The
 * condensing is an HMAC under PASSWORD_PEPPER, which lives outside the database, so a stolen
 * users table alone cannot be guessed at.
 *
 * Stored hashes made by the earlier unkeyed SHA-256 condensing carry no marker and still
 * verify; `needsRehash` reports them, and sign-in re-hashes them while it knows the password.
 * New hashes carry the `hmac-sha256:` prefix (72 characters in all): the scheme travels with
 * the hash, so no column or migration is needed and a half-upgraded table is always readable.
 */
export class PasswordHasher {
  private readonly dummyHash: Promise<string>;

  constructor(
    readonly cost: number,
    private readonly pepper: string,
  ) {
    // Compared against when the email is unknown, so both paths cost one bcrypt comparison.
    this.dummyHash = onHashingThread(() => bcrypt.hash(randomBytes(16).toString('hex'), cost));
  }

  async hash(password: string): Promise<string> {
    return PEPPERED + (await onHashingThread(() => bcrypt.hash(this.condense(password), this.cost)));
  }

  verify(password: string, stored: string): Promise<boolean> {
    if (stored.startsWith(PASSLIB_BCRYPT)) return onHashingThread(() => bcrypt.compare(password, bcryptPart(stored)));
    const condensed = stored.startsWith(PEPPERED) ? this.condense(password) : unkeyedCondense(password);
    return onHashingThread(() => bcrypt.compare(condensed, bcryptPart(stored)));
  }

  /** Spends the same time as `verify` and always fails: for unknown accounts. */
  async verifyNobody(password: string): Promise<false> {
    const dummy = await this.dummyHash;
    await onHashingThread(() => bcrypt.compare(this.condense(password), dummy));
    return false;
  }

  /** True for an imported passlib hash, a hash of the unkeyed scheme or of another BCRYPT_COST. */
  needsRehash(stored: string): boolean {
    return !stored.startsWith(PEPPERED) || bcrypt.getRounds(bcryptPart(stored)) !== this.cost;
  }

  private condense(password: string): string {
    return createHmac('sha256', this.pepper).update(password, 'utf8').digest('base64');
  }
}

function bcryptPart(stored: string): string {
  for (const marker of [PEPPERED, PASSLIB_BCRYPT]) if (stored.startsWith(marker)) return stored.slice(marker.length);
  return stored;
}

/** The scheme before PASSWORD_PEPPER, kept only to verify (and then upgrade) old hashes. */
function unkeyedCondense(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('base64');
}
