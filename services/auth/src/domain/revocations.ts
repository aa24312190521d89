import type {
  RevocationEntry,
  RevocationFeedPage,
  RevocationKind,
  RevocationSource,
} from '@merchant-platform/common/tokens/revocation-feed';
import type { RefreshTokenRepository } from './refresh-token.js';

export interface RevocationRecord {
  id: number;
  kind: RevocationKind;
  subjectId: string;
  revokedBefore: Date;
}

export interface RevocationRepository {
  add(kind: RevocationKind, subjectId: string, revokedBefore: Date): Promise<RevocationRecord>;
  /** Records after `afterId` whose cutoff is later than `revokedSince`, in id order. */
  listAfter(afterId: number, revokedSince: Date, limit: number): Promise<RevocationRecord[]>;
}

/** The access tokens' clock tolerance (common/tokens/access-token.ts): a token can outlive its `exp` by this much. */
const LEEWAY_MS = 30_000;
const PAGE_SIZE = 500;

function untilNextSecond(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 1));
}

/**
 * Where auth writes down that access tokens must die before they expire, and the feed every
 * service's RevocationList reads it from (over HTTP, or in-process in all-in-one mode). A record
 * matters for one access-token lifetime (plus leeway) after its cutoff; then every token it
 * kills has expired anyway, so the feed leaves it out.
 */
export class Revocations implements RevocationSource {
  private readonly listeners: ((entry: RevocationEntry) => void)[] = [];

  constructor(
    private readonly records: RevocationRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly settings: { accessTtlSeconds: number },
  ) {}

  /** Called with each new record, so this process's own list refuses the tokens at once. */
  onRecorded(listener: (entry: RevocationEntry) => void): void {
    this.listeners.push(listener);
  }

  /** The one way to record a revocation: every token of `subjectId` issued until now dies. */
  async record(kind: RevocationKind, subjectId: string): Promise<void> {
    const entry = this.toEntry(await this.records.add(kind, subjectId, new Date()));
    for (const listener of this.listeners) listener(entry);
    // `iat` has whole seconds, so a user's sign-in later in this second would look revoked too;
    // answering once the second is over means whatever the client does next is not refused.
    if (kind === 'user') await untilNextSecond();
  }

  /** Ends every session of a user: refresh tokens now, access tokens in every service within a poll. */
  async endAllSessions(userId: string): Promise<void> {
    await this.refreshTokens.revokeAllForUser(userId);
    await this.record('user', userId);
  }

  /** Ends one live session of the user (its refresh tokens and, by `sid`, its access tokens); false when it is none. */
  async endSession(userId: string, sessionId: string): Promise<boolean> {
    if (!(await this.refreshTokens.revokeLiveSession(userId, sessionId))) return false;
    await this.record('session', sessionId);
    return true;
  }

  /**
   * Ends every session of the user but `keepSessionId` (the caller's), each by `sid`: every family
   * that is live or issued a token still within its lifetime. Without a session to keep (a v1
   * token has no `sid`), all of them end.
   */
  async endOtherSessions(userId: string, keepSessionId: string | undefined): Promise<void> {
    if (keepSessionId === undefined) return this.endAllSessions(userId);
    const issuedSince = new Date(Date.now() - this.relevanceMs);
    const ended = await this.refreshTokens.revokeOtherFamilies(userId, keepSessionId, issuedSince);
    for (const sessionId of ended) await this.record('session', sessionId);
  }

  async fetchAfter(cursor: string | undefined): Promise<RevocationFeedPage> {
    const afterId = cursor === undefined ? 0 : Number(cursor);
    const revokedSince = new Date(Date.now() - this.relevanceMs);
    const rows = await this.records.listAfter(afterId, revokedSince, PAGE_SIZE + 1);
    const page = rows.slice(0, PAGE_SIZE);
    return {
      items: page.map((row) => this.toEntry(row)),
      next_cursor: String(page.at(-1)?.id ?? afterId),
      has_more: rows.length > PAGE_SIZE,
    };
  }

  private get relevanceMs(): number {
    return this.settings.accessTtlSeconds * 1000 + LEEWAY_MS;
  }

  private toEntry(row: RevocationRecord): RevocationEntry {
    return {
      id: String(row.id),
      kind: row.kind,
      subject_id: row.subjectId,
      revoked_before: row.revokedBefore.toISOString(),
      expires_at: new Date(row.revokedBefore.getTime() + this.relevanceMs).toISOString(),
    };
  }
}
