import { generateSecret, generateURI, verify } from 'otplib';

/** A TOTP factor as stored: its secret is sealed (totp-secret-box.ts) and opened only to check a code. */
export interface TotpFactor {
  id: string;
  userId: string;
  name: string;
  sealedSecret: string;
  confirmedAt: Date | null;
  /** The time step of the last code accepted; the next one must be later. */
  lastStep: number;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface TotpFactorRepository {
  create(factor: Pick<TotpFactor, 'id' | 'userId' | 'name' | 'sealedSecret'>): Promise<TotpFactor>;
  find(id: string, userId: string): Promise<TotpFactor | undefined>;
  listConfirmed(userId: string): Promise<TotpFactor[]>;
  /**
   * Records that a code of `step` was accepted (and, with `confirming`, confirms the factor),
   * only if `step` is later than the last accepted one: one conditional UPDATE, so of concurrent
   * requests with the same code exactly one gets true.
   */
  acceptStep(id: string, step: number, confirming: boolean): Promise<boolean>;
  /** Drops the user's unconfirmed factors: an enrolment that was never finished. */
  deleteUnconfirmed(userId: string): Promise<void>;
  delete(id: string, userId: string): Promise<boolean>;
  deleteAllForUser(userId: string): Promise<void>;
}

/** RFC 6238 as the contract fixes it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
const TOTP_DIGITS = 6;

export const isTotpCode = (code: string) => /^\d{6}$/.test(code);

/** 160 random bits, base32 (what authenticator apps expect). */
export const newTotpSecret = (): string => generateSecret({ length: 20 });

/** What a phone scans: `otpauth://totp/<issuer>:<account>?secret=...&issuer=...`. */
export function otpauthUri(input: { issuer: string; account: string; secret: string }): string {
  return generateURI({
    issuer: input.issuer,
    label: input.account,
    secret: input.secret,
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

/**
 * The time step `code` belongs to, if it is right for now or one step either side (clock drift);
 * undefined otherwise. Whether that step was already used is the repository's question.
 */
export async function matchingStep(secret: string, code: string): Promise<number | undefined> {
  if (!isTotpCode(code)) return undefined;
  const result = await verify({
    secret,
    token: code,
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    epochTolerance: TOTP_PERIOD_SECONDS,
  });
  // The functional API's result type also covers HOTP, which has no time step.
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}
