import type { Context } from 'koa';
import type { ApiClient, Caller } from '../api-client/api-client.js';
import { ApiError } from '../api-client/api-error.js';
import { consoleSession } from './console-session.js';
import { needsRefresh, SessionGoneError, type TokenRefresher } from './token-refresher.js';

/** Thrown when the session's tokens no longer work: the person is sent to sign in again. */
export class SignedOutError extends Error {
  constructor() {
    super('signed out');
    this.name = 'SignedOutError';
  }
}

export function callerOf(ctx: Context): Caller {
  return { ip: ctx.ip, userAgent: ctx.get('User-Agent') || undefined };
}

/**
 * The APIs as the signed-in person: their access token on every call, refreshed when stale or
 * refused, and the session ended when even the refresh token is refused (revoked, disabled).
 */
export class UserApi {
  constructor(
    private readonly ctx: Context,
    private readonly api: ApiClient,
    private readonly refresher: TokenRefresher,
  ) {}

  async call<T = unknown>(method: string, path: string, json?: unknown): Promise<T> {
    const session = consoleSession(this.ctx);
    if (!session.tokens) throw new SignedOutError();
    if (needsRefresh(session.tokens)) await this.refresh();
    try {
      return await this.send<T>(method, path, json);
    } catch (error) {
      // A token refused as invalid was not acted on, so the call is safe to repeat once.
      if (!(error instanceof ApiError && error.signedOut)) throw error;
      await this.refresh();
      return this.send<T>(method, path, json);
    }
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  /** A new pair now, so the next call's token carries claims that just changed (email_verified). */
  async renewTokens(): Promise<void> {
    await this.refresh();
  }

  private send<T>(method: string, path: string, json: unknown): Promise<T> {
    const token = consoleSession(this.ctx).tokens?.access;
    return this.api.call<T>(method, path, { token, json, caller: callerOf(this.ctx) });
  }

  private async refresh(): Promise<void> {
    const session = consoleSession(this.ctx);
    if (!session.tokens) throw new SignedOutError();
    try {
      // The row's id, which the lease is taken on (koa-session's external key).
      const sessionId = (this.ctx.session as unknown as { externalKey?: string }).externalKey;
      session.tokens = await this.refresher.refresh(sessionId, session.tokens.refresh, callerOf(this.ctx));
    } catch (error) {
      if ((error instanceof ApiError && error.status === 401) || error instanceof SessionGoneError) {
        this.ctx.session = null;
        throw new SignedOutError();
      }
      throw error;
    }
  }
}
