import { createHash, randomBytes } from 'node:crypto';
import type { Scope } from './roles.js';

/** A merchant API key as stored: the secret itself never is, only its SHA-256. */
export interface ApiKey {
  id: string;
  merchant_id: string;
  /** The first key of a line of rolls; every successor shares it. */
  family_id: string;
  /** 0 for a created key, one more for each roll. */
  generation: number;
  name: string;
  prefix: string;
  secret_hash: string;
  scopes: Scope[];
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  /** When the key stops working: now for a deleted key, the grace's end for a rolled one (may be ahead). */
  revoked_at: Date | null;
  /** The successor, once rolled. */
  replaced_by: string | null;
}

export const SECRET_MARK = 'mpk_';

/** `mpk_` + 256 random bits in base64url: no guessing, and a shape a secret scanner can spot. */
export function newSecret(): string {
  return `${SECRET_MARK}${randomBytes(32).toString('base64url')}`;
}

/** The stored form of a secret: hex SHA-256, enough for a random 256-bit secret (nothing to brute-force). */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Shown to identify a key in lists; the rest stays secret. */
export const secretPrefix = (secret: string): string => secret.slice(0, 12);

export const isApiKeySecret = (bearer: string): boolean => bearer.startsWith(SECRET_MARK);

/** A key works until it is revoked (or its grace ends) and until it expires. */
export const keyWorksAt = (key: ApiKey, now: Date): boolean =>
  (key.revoked_at === null || key.revoked_at > now) && (key.expires_at === null || key.expires_at > now);

export interface ApiKeyRepository {
  insert(key: ApiKey): Promise<void>;
  findByHash(secretHash: string): Promise<ApiKey | undefined>;
  find(merchantId: string, keyId: string): Promise<ApiKey | undefined>;
  listForMerchant(merchantId: string): Promise<ApiKey[]>;
  /**
   * Marks `old` replaced by `successor` and ends it at `oldEndsAt`, then inserts `successor`, in
   * one transaction; only while `old` is neither replaced nor ended, so of concurrent rolls of
   * one key exactly one succeeds. False when `old` was no longer live.
   */
  roll(old: ApiKey, successor: ApiKey, oldEndsAt: Date, now: Date): Promise<boolean>;
  /** Ends the key and its earlier generations now (those not already ended). */
  revokeWithPredecessors(key: ApiKey, now: Date): Promise<void>;
  /** Sets last_used_at to `now` unless it is already later than `since`: one conditional UPDATE. */
  touch(keyId: string, now: Date, since: Date): Promise<void>;
}
