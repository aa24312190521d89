import type { Logger } from '../logger.js';
import type { ServiceCaller } from '../service-auth/service-authenticator.js';
import type { AccessTokenClaims } from '../tokens/access-token.js';
import type { BodyKind } from './body-parser.js';
import type { RequestLogFields } from './request-context.js';

/** koa-session's bag, there when createApp mounts the session (its `session` option); null clears it. */
export type SessionBag = Record<string, unknown>;

/*
 * What a request carries, declared once for every middleware and handler by augmenting Koa's
 * own types, so nobody casts `ctx.state` or `ctx`. Set in the order createApp mounts them.
 */
declare module 'koa' {
  interface DefaultState {
    /** requestContext: the request id, and a logger whose every line carries it (made when first read). */
    requestId: string;
    log: Logger;
    /** requestContext: the fields every line of the request carries (the access line is written from them). */
    logFields: RequestLogFields;
    /** parseBody: the body as parsed, before the route's schema validates it (validate.ts). */
    bodyKind: BodyKind;
    rawBody: unknown;
    /** requireUser: the verified access-token claims (read them with `currentUser`). */
    user?: AccessTokenClaims;
    /** requireService: the calling service (read it with `currentService`). */
    service?: ServiceCaller;
  }

  interface DefaultContext {
    session?: SessionBag | null;
    /** @koa/router: the template of the route that matched, for metrics labels. */
    _matchedRoute?: string | RegExp;
  }
}
