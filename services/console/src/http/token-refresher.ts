import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient, Caller } from '../api-client/api-client.js';
import type { SessionRefreshLeases } from '../data/refresh-lease.js';
import type { SessionTokens } from './console-session.js';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

/** Refresh a little before expiry, so a token never dies between the check and the API's. */
const EARLY_REFRESH_MS = 30_000;
/** Longer than the API call may take (the transport's 10 s timeout): a lease outlives its holder only if it crashed. */
const LEASE_MS = 15_000;
/** How often a process waiting for another's refresh looks at the row again. */
const POLL_MS = 50;

export function tokensFrom(pair: TokenPair, now = Date.now()): SessionTokens {
  return { access: pair.access_token, refresh: pair.refresh_token, accessExpiresAt: now + pair.expires_in * 1000 };
}

export const needsRefresh = (tokens: SessionTokens, now = Date.now()) => tokens.accessExpiresAt - EARLY_REFRESH_MS <= now;

/** Thrown when the session row lost its tokens while waiting (signed out elsewhere). */
export class SessionGoneError extends Error {
  constructor() {
    super('the session ended during a refresh');
    this.name = 'SessionGoneError';
  }
}

/**
 * Refresh tokens are single-use and a second use revokes the whole session (`token_reused`).
 * Within this process, requests of one browser (two tabs) that both find the access token stale
 * share one refresh. Across replicas, the session's row carries a lease: the process that wins
 * the conditional update refreshes and stores the new pair in the row; the others wait for it
 * and use that pair.
 */
export class TokenRefresher {
  private readonly inFlight = new Map<string, Promise<SessionTokens>>();

  constructor(
    private readonly api: ApiClient,
    private readonly leases: SessionRefreshLeases,
  ) {}

  refresh(sessionId: string | undefined, refreshToken: string, caller: Caller): Promise<SessionTokens> {
    const running = this.inFlight.get(refreshToken);
    if (running) return running;
    const started = (sessionId ? this.refreshUnderLease(sessionId, refreshToken, caller) : this.callApi(refreshToken, caller)).finally(
      () => {
        // Kept a moment, so a request that read the old token just before the swap still joins.
        setTimeout(() => this.inFlight.delete(refreshToken), 5_000).unref();
      },
    );
    this.inFlight.set(refreshToken, started);
    return started;
  }

  private async refreshUnderLease(sessionId: string, refreshToken: string, caller: Caller): Promise<SessionTokens> {
    for (const deadline = Date.now() + 2 * LEASE_MS; ;) {
      const claim = await this.leases.claim(sessionId, LEASE_MS);
      // A session whose row is not written yet lives in this request alone: nobody to race.
      if (claim === 'no-row') return this.callApi(refreshToken, caller);
      const stored = await this.leases.storedTokens(sessionId);
      if (!stored) {
        if (claim === 'claimed') await this.leases.release(sessionId);
        throw new SessionGoneError();
      }
      if (stored.refresh !== refreshToken) {
        // Another process already refreshed: its pair is the session's now.
        if (claim === 'claimed') await this.leases.release(sessionId);
        return stored;
      }
      if (claim === 'claimed') return this.refreshAndStore(sessionId, refreshToken, caller);
      if (Date.now() > deadline) throw new Error('a token refresh of this session did not finish in time');
      await sleep(POLL_MS);
    }
  }

  private async refreshAndStore(sessionId: string, refreshToken: string, caller: Caller): Promise<SessionTokens> {
    let tokens: SessionTokens;
    try {
      tokens = await this.callApi(refreshToken, caller);
    } catch (error) {
      await this.leases.release(sessionId);
      throw error;
    }
    await this.leases.storeAndRelease(sessionId, tokens);
    return tokens;
  }

  private async callApi(refreshToken: string, caller: Caller): Promise<SessionTokens> {
    const pair = await this.api.post<TokenPair>('/auth/refresh', { json: { refresh_token: refreshToken }, caller });
    return tokensFrom(pair);
  }
}
