import { createHmac, hkdfSync, randomInt } from 'node:crypto';

export interface RecoveryCodeRepository {
  /** Replaces the user's whole set with these hashes (the old codes die with it). */
  replaceSet(userId: string, codeHashes: string[]): Promise<void>;
  /** Marks an unused code used; false when there is none, even against a concurrent use. */
  use(userId: string, codeHash: string): Promise<boolean>;
  deleteAllForUser(userId: string): Promise<void>;
}

const SET_SIZE = 10;
/** Crockford's base32: no I, L, O or U, so a code read off paper is typed back right. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const HALF = 5;

/** `xxxxx-xxxxx`: 50 random bits, a dash for reading aloud. */
function newCode(): string {
  const chars = Array.from({ length: HALF * 2 }, () => ALPHABET[randomInt(ALPHABET.length)]!);
  return `${chars.slice(0, HALF).join('')}-${chars.slice(HALF).join('')}`;
}

/** Case, spaces and dashes do not matter when a code is typed back. */
const normalized = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');

export const looksLikeRecoveryCode = (code: string) => new RegExp(`^[${ALPHABET}]{${HALF * 2}}$`).test(normalized(code));

/**
 * Single-use codes that stand in for a lost second factor. Only an HMAC of each is stored, under
 * a key derived from the pepper (a long-lived server secret), so a copy of the table is useless.
 */
export class RecoveryCodes {
  private readonly key: Buffer;

  constructor(
    private readonly codes: RecoveryCodeRepository,
    serverSecret: string,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', serverSecret, 'merchant-platform', 'recovery-code-hmac', 32));
  }

  /** A fresh set of ten, shown to the user once; the previous set stops working. */
  async issue(userId: string): Promise<string[]> {
    const codes = Array.from({ length: SET_SIZE }, newCode);
    await this.codes.replaceSet(
      userId,
      codes.map((code) => this.hash(code)),
    );
    return codes;
  }

  /** Spends `code` if it is one of the user's unused codes. */
  redeem(userId: string, code: string): Promise<boolean> {
    if (!looksLikeRecoveryCode(code)) return Promise.resolve(false);
    return this.codes.use(userId, this.hash(code));
  }

  removeAll(userId: string): Promise<void> {
    return this.codes.deleteAllForUser(userId);
  }

  private hash(code: string): string {
    return createHmac('sha256', this.key).update(normalized(code)).digest('hex');
  }
}
