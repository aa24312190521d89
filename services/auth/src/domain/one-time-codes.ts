import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { codeExpired, invalidCode, rateLimited } from '@merchant-platform/common/errors';

export type CodePurpose = 'verify_email' | 'password_reset' | 'email_change';

export interface CodeRecord {
  id: string;
  codeHash: string;
  attempts: number;
  expiresAt: Date;
  consumedAt: Date | null;
  /** What the code proves besides the account (an email change's new address), else null. */
  target: string | null;
}

export interface OneTimeCodeRepository {
  /** Stores a new code for (user, purpose), replacing any previous one: one live code each. */
  replace(record: {
    id: string;
    userId: string;
    purpose: CodePurpose;
    codeHash: string;
    expiresAt: Date;
    target: string | null;
  }): Promise<void>;
  find(userId: string, purpose: CodePurpose): Promise<CodeRecord | undefined>;
  /** Counts one attempt unless `max` were already made; false means the code is used up. */
  recordAttempt(id: string, max: number): Promise<boolean>;
  /** Marks the code consumed; false means another request consumed it first. */
  consume(id: string): Promise<boolean>;
}

const CODE_TTL_MS = 10 * 60_000;
const MAX_CODE_ATTEMPTS = 5;

/**
 * Six-digit codes from a CSPRNG, stored only as an HMAC under a server-side key (a leaked
 * table of hashes of a million possible codes would otherwise be trivially reversed),
 * valid 10 minutes, 5 attempts, compared in constant time.
 */
export class OneTimeCodes {
  constructor(
    private readonly codes: OneTimeCodeRepository,
    private readonly hmacKey: Buffer,
  ) {}

  /** `target`: what the code will prove besides the account (the new address of an email change). */
  async issue(userId: string, purpose: CodePurpose, target: string | null = null): Promise<{ id: string; code: string }> {
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    const id = randomUUID();
    await this.codes.replace({
      id,
      userId,
      purpose,
      codeHash: this.hash(userId, purpose, code),
      expiresAt: new Date(Date.now() + CODE_TTL_MS),
      target,
    });
    return { id, code };
  }

  /** Resolves with the code's target when `code` is the live code for (user, purpose), consuming it; throws otherwise. */
  async redeem(userId: string, purpose: CodePurpose, code: string): Promise<{ target: string | null }> {
    const record = await this.codes.find(userId, purpose);
    if (!record || record.consumedAt) throw invalidCode();
    if (record.attempts >= MAX_CODE_ATTEMPTS) throw rateLimited((record.expiresAt.getTime() - Date.now()) / 1000);
    if (record.expiresAt.getTime() <= Date.now()) throw codeExpired();
    if (!(await this.codes.recordAttempt(record.id, MAX_CODE_ATTEMPTS))) {
      throw rateLimited((record.expiresAt.getTime() - Date.now()) / 1000);
    }
    const expected = Buffer.from(record.codeHash, 'hex');
    const actual = Buffer.from(this.hash(userId, purpose, code), 'hex');
    if (!timingSafeEqual(expected, actual)) throw invalidCode();
    if (!(await this.codes.consume(record.id))) throw invalidCode();
    return { target: record.target };
  }

  /**
   * The id an email with no (usable) account gets codes under: stable, secret-keyed, shaped like
   * a user id. Its codes are stored and counted like real ones but never mailed, so every reset
   * step answers the same for an unknown email as for a known one.
   */
  standInUserId(email: string): string {
    const hex = createHmac('sha256', this.hmacKey).update(`stand-in:${email}`).digest('hex');
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join('-');
  }

  private hash(userId: string, purpose: CodePurpose, code: string): string {
    return createHmac('sha256', this.hmacKey).update(`${purpose}:${userId}:${code}`).digest('hex');
  }
}
