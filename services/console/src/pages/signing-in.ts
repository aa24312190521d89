import type { Context } from 'koa';
import type { ApiClient } from '../api-client/api-client.js';
import { consoleSession, type SignedInUser } from '../http/console-session.js';
import { tokensFrom, type TokenPair } from '../http/token-refresher.js';
import { callerOf } from '../http/user-api.js';

interface UserBody {
  user: SignedInUser;
}

/**
 * A token pair became this browser's session: a new session id (no fixation), a new CSRF
 * token, the tokens kept server-side, and who the person is for the pages.
 */
export async function startSession(ctx: Context, api: ApiClient, pair: TokenPair): Promise<void> {
  const tokens = tokensFrom(pair);
  const { user } = await api.get<UserBody>('/auth/me', { token: tokens.access, caller: callerOf(ctx) });
  const session = consoleSession(ctx);
  delete session.csrf;
  delete session.pendingMfa;
  delete session.resetEmail;
  session.tokens = tokens;
  session.user = pickUser(user);
  // koa-session's regenerate: the old id is destroyed and these data saved under a new one.
  await (ctx.session as unknown as { regenerate(): Promise<void> }).regenerate();
}

/** Only what the pages show is kept in the session. */
export function pickUser(user: SignedInUser): SignedInUser {
  return { id: user.id, email: user.email, first_name: user.first_name, email_verified: user.email_verified, roles: user.roles };
}

/** Redirects to sign-in unless someone is signed in; answers true when the page may go on. */
export function requireSignIn(ctx: Context): boolean {
  if (consoleSession(ctx).tokens) return true;
  ctx.redirect(`/sign-in?next=${encodeURIComponent(ctx.path)}`);
  return false;
}
