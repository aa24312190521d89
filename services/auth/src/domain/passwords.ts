import { createHash, randomBytes } from 'node:crypto';
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
 * bcrypt, always asynchronous so hashing runs on libuv's thread pool, never the event loop.
 * bcrypt reads at most 72 bytes, so the password is first condensed with SHA-256 (base64, so
 * no NUL byte cuts it short): a 128-character password keeps all of its strength.
 */
export class PasswordHasher {
  private readonly dummyHash: Promise<string>;

  constructor(readonly cost: number) {
    // Compared against when the email is unknown, so both paths cost one bcrypt comparison.
    this.dummyHash = bcrypt.hash(randomBytes(16).toString('hex'), cost);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(condense(password), this.cost);
  }

  verify(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(condense(password), hash);
  }

  /** Spends the same time as `verify` and always fails: for unknown accounts. */
  async verifyNobody(password: string): Promise<false> {
    await bcrypt.compare(condense(password), await this.dummyHash);
    return false;
  }

  needsRehash(hash: string): boolean {
    return bcrypt.getRounds(hash) !== this.cost;
  }
}

function condense(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('base64');
}
