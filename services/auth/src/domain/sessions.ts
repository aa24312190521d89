import { notFound } from '@merchant-platform/common/errors';
import type { LiveSession, RefreshTokenRepository } from './refresh-token.js';
import type { Revocations } from './revocations.js';
import type { SecurityEvents } from './security-events.js';

/** The contract's session object. */
export interface SessionView {
  id: string;
  created_at: string;
  last_used_at: string;
  ip: string | null;
  user_agent: string | null;
  amr: string[];
  current: boolean;
}

function presentSession(live: LiveSession, currentSessionId: string | undefined): SessionView {
  return {
    id: live.familyId,
    created_at: live.session.startedAt.toISOString(),
    last_used_at: live.lastUsedAt.toISOString(),
    ip: live.session.ip,
    user_agent: live.session.userAgent,
    amr: [...live.session.amr],
    current: live.familyId === currentSessionId,
  };
}

/** A user's own sessions (refresh-token families): which can still be refreshed, and ending one. */
export class Sessions {
  constructor(
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly revocations: Revocations,
    private readonly events: SecurityEvents,
  ) {}

  async list(userId: string, currentSessionId: string | undefined): Promise<SessionView[]> {
    const live = await this.refreshTokens.listLive(userId);
    return live.map((session) => presentSession(session, currentSessionId));
  }

  /** Another user's session is 404 like an unknown one: ids of others' sessions are not confirmed. */
  async revoke(userId: string, sessionId: string): Promise<void> {
    const ended = await this.events.withChange(
      () => this.revocations.endSession(userId, sessionId),
      (done) => (done ? { type: 'session.revoked', userId, data: { session_id: sessionId, reason: 'signed_out' } } : undefined),
    );
    if (!ended) throw notFound('You have no live session with this id.');
  }
}
