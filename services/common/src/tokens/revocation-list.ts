import type { RevocationEntry, RevocationKind } from './revocation-feed.js';

/** What a revocation check needs from an access token. */
export interface RevocableClaims {
  sub: string;
  sid?: string | undefined;
  /** Seconds since the epoch, as in the JWT. */
  iat: number;
}

export interface RevocationCheck {
  isRevoked(claims: RevocableClaims): boolean;
}

interface Cutoff {
  revokedBeforeMs: number;
  expiresAtMs: number;
}

/** Far more than a platform revokes within one access-token lifetime; only a flood reaches it. */
const DEFAULT_MAX_ENTRIES = 100_000;

/**
 * An in-memory denylist of users and sessions: each entry says "tokens issued at or before this
 * time are dead" and is dropped once such tokens have expired anyway. Bounded: past
 * `maxEntries` the entry that expires first goes, so memory stays flat under a flood.
 */
export class RevocationList implements RevocationCheck {
  private readonly entries: Record<RevocationKind, Map<string, Cutoff>> = { user: new Map(), session: new Map() };

  constructor(private readonly options: { maxEntries?: number; now?: () => number } = {}) {}

  add(entry: Pick<RevocationEntry, 'kind' | 'subject_id' | 'revoked_before' | 'expires_at'>): void {
    const cutoff = { revokedBeforeMs: Date.parse(entry.revoked_before), expiresAtMs: Date.parse(entry.expires_at) };
    if (cutoff.expiresAtMs <= this.now()) return;
    const map = this.entries[entry.kind];
    const known = map.get(entry.subject_id);
    // The latest cutoff wins: it kills everything the earlier one did.
    if (known && known.revokedBeforeMs >= cutoff.revokedBeforeMs) return;
    map.set(
      entry.subject_id,
      known ? { revokedBeforeMs: cutoff.revokedBeforeMs, expiresAtMs: Math.max(known.expiresAtMs, cutoff.expiresAtMs) } : cutoff,
    );
    if (this.size > (this.options.maxEntries ?? DEFAULT_MAX_ENTRIES)) this.prune(true);
  }

  isRevoked(claims: RevocableClaims): boolean {
    const issuedAtMs = claims.iat * 1000;
    const dead = (cutoff: Cutoff | undefined) => cutoff !== undefined && issuedAtMs <= cutoff.revokedBeforeMs;
    return dead(this.entries.user.get(claims.sub)) || (claims.sid !== undefined && dead(this.entries.session.get(claims.sid)));
  }

  get size(): number {
    return this.entries.user.size + this.entries.session.size;
  }

  /** Drops expired entries; when `overflowing`, also the one that expires first. */
  prune(overflowing = false): void {
    const now = this.now();
    let first: { map: Map<string, Cutoff>; key: string; expiresAtMs: number } | undefined;
    for (const map of Object.values(this.entries)) {
      for (const [key, cutoff] of map) {
        if (cutoff.expiresAtMs <= now) map.delete(key);
        else if (!first || cutoff.expiresAtMs < first.expiresAtMs) first = { map, key, expiresAtMs: cutoff.expiresAtMs };
      }
    }
    if (overflowing && first && this.size > (this.options.maxEntries ?? DEFAULT_MAX_ENTRIES)) first.map.delete(first.key);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
