import type { ApiClient, Caller } from '../api-client/api-client.js';
import type { SessionTokens } from './console-session.js';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

/** Refresh a little before expiry, so a token never dies between the check and the API's. */
const EARLY_REFRESH_MS = 30_000;

export function tokensFrom(pair: TokenPair, now = Date.now()): SessionTokens {
  return { access: pair.access_token, refresh: pair.refresh_token, accessExpiresAt: now + pair.expires_in * 1000 };
}

export const needsRefresh = (tokens: SessionTokens, now = Date.now()) => tokens.accessExpiresAt - EARLY_REFRESH_MS <= now;

/**
 * Refresh tokens are single-use and a second use revokes the whole session (`token_reused`).
 * Two requests of one browser (two tabs) may both find the access token stale: they share one
 * refresh here instead of racing, and both get the new pair.
 */
export class TokenRefresher {
  private readonly inFlight = new Map<string, Promise<SessionTokens>>();

  constructor(private readonly api: ApiClient) {}

  refresh(refreshToken: string, caller: Caller): Promise<SessionTokens> {
    const running = this.inFlight.get(refreshToken);
    if (running) return running;
    const started = this.api
      .post<TokenPair>('/auth/refresh', { json: { refresh_token: refreshToken }, caller })
      .then((pair) => tokensFrom(pair))
      .finally(() => {
        // Kept a moment, so a request that read the old token just before the swap still joins.
        setTimeout(() => this.inFlight.delete(refreshToken), 5_000).unref();
      });
    this.inFlight.set(refreshToken, started);
    return started;
  }
}
