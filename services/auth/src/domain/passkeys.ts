import { createHash } from 'node:crypto';
import type { FactorView } from './views.js';

/** A registered passkey: the public half of a WebAuthn credential and its bookkeeping. */
export interface PasskeyCredential {
  id: string;
  userId: string;
  /** base64url, as the browser reports it. */
  credentialId: string;
  publicKey: Uint8Array<ArrayBuffer>;
  signCount: number;
  counterRegressions: number;
  transports: string[];
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type NewPasskeyCredential = Pick<PasskeyCredential, 'userId' | 'credentialId' | 'publicKey' | 'signCount' | 'transports' | 'name'>;

export interface PasskeyCredentialRepository {
  /** Inserts, or returns undefined when this credential id is already registered. */
  create(credential: NewPasskeyCredential): Promise<PasskeyCredential | undefined>;
  findByCredentialId(credentialId: string): Promise<PasskeyCredential | undefined>;
  listForUser(userId: string): Promise<PasskeyCredential[]>;
  /**
   * Stores a newer sign counter and the time of use, only if it is greater than the stored one
   * (or both are 0: an authenticator without a counter); false means it was not, even against
   * a concurrent sign-in with the same credential.
   */
  advanceCounter(id: string, signCount: number): Promise<boolean>;
  /** Counts one refused assertion whose counter went backwards (a sign of a cloned authenticator). */
  recordCounterRegression(id: string): Promise<void>;
  /** Removes one of the user's passkeys; false when the user has none with this id. */
  delete(id: string, userId: string): Promise<boolean>;
  deleteAllForUser(userId: string): Promise<void>;
}

/** `second_factor`: bound to a password or Google sign-in that awaits its second step (`/auth/mfa/verify`). */
export type ChallengePurpose = 'registration' | 'authentication' | 'second_factor';

export interface WebAuthnChallenge {
  id: string;
  purpose: ChallengePurpose;
  /** The user a challenge is bound to; null for a discoverable-credential sign-in. */
  userId: string | null;
  challengeHash: string;
}

export interface WebAuthnChallengeRepository {
  create(challenge: WebAuthnChallenge & { expiresAt: Date }): Promise<void>;
  /**
   * Marks a live (unused, unexpired) challenge used and returns it; undefined when there is none
   * or another request used it first. One atomic conditional update, so a challenge serves once.
   */
  consume(
    match: { purpose: ChallengePurpose } & ({ id: string } | { challengeHash: string; userId: string }),
  ): Promise<WebAuthnChallenge | undefined>;
  /** Forgets challenges that expired before `before` (they can no longer be used anyway). */
  deleteExpired(before: Date): Promise<void>;
}

/** Challenges live 5 minutes; the options tell the browser the same. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

/** Challenges and credential ids are looked up by SHA-256: fixed length, and no usable challenge at rest. */
export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

export function presentPasskeyFactor(credential: PasskeyCredential): FactorView {
  return {
    id: credential.id,
    type: 'passkey',
    name: credential.name,
    created_at: credential.createdAt.toISOString(),
    last_used_at: credential.lastUsedAt?.toISOString() ?? null,
  };
}
