import { randomBytes } from 'node:crypto';
import Koa from 'koa';
import { Router } from '@koa/router';
import session from 'koa-session';
import type { Database } from '@merchant-platform/common/db/database';
import { parseBody } from '@merchant-platform/common/http/body-parser';
import { requestContext } from '@merchant-platform/common/http/request-context';
import type { Logger } from '@merchant-platform/common/logger';
import type { ApiClient } from './api-client/api-client.js';
import type { RequestHandler } from './api-client/transport.js';
import { logoOrigins, type Brand } from './brand.js';
import { SessionRefreshLeases } from './data/refresh-lease.js';
import { SequelizeSessionStore } from './data/session-store.js';
import { csrfProtection } from './http/csrf.js';
import { pageErrors } from './http/page-errors.js';
import { securityHeaders } from './http/security-headers.js';
import { staticFiles } from './http/static-files.js';
import { TokenRefresher } from './http/token-refresher.js';
import { UserApi } from './http/user-api.js';
import { Views, type Features } from './http/views.js';
import { consolePages, isConsolePath } from './pages/index.js';

export { consoleMigrations } from './data/migrations/index.js';

export interface ConsoleDependencies {
  api: ApiClient;
  db: Database;
  logger: Logger;
  brand: Brand;
  features: Features;
  sessionKeys: string[];
  /** Secure cookies: true in production (behind TLS); false for http://localhost. */
  secureCookies: boolean;
  trustProxy: boolean;
  /** All-in-one mode: every path that is not a console page goes to the APIs' handler. */
  fallthrough?: RequestHandler;
}

/** A browser session lasts this long without use; signing in again starts a new one. */
const SESSION_MAX_AGE_MS = 12 * 60 * 60_000;

/** The console as a Koa app: served alone (main.ts) or in front of the APIs (all-in-one). */
export function createConsoleApp(deps: ConsoleDependencies): Koa {
  const app = new Koa({ proxy: deps.trustProxy, maxIpsCount: 1 });
  app.silent = true;
  app.keys = deps.sessionKeys;
  const views = new Views(deps.brand, deps.features);
  const refresher = new TokenRefresher(deps.api, new SessionRefreshLeases(deps.db.sequelize));

  if (deps.fallthrough) {
    const apis = deps.fallthrough;
    app.use(async (ctx, next) => {
      if (isConsolePath(ctx.path)) return next();
      ctx.respond = false;
      await apis(ctx.req, ctx.res);
    });
  }
  app.use(requestContext(deps.logger));
  app.use(securityHeaders({ extraImageOrigins: logoOrigins(deps.brand) }));
  app.use(
    session(
      {
        key: 'mp_console',
        maxAge: SESSION_MAX_AGE_MS,
        renew: true,
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.secureCookies,
        signed: true,
        store: new SequelizeSessionStore(deps.db.sequelize),
        genid: () => randomBytes(32).toString('base64url'),
      },
      app,
    ),
  );
  app.use(pageErrors(views, deps.logger));
  app.use(parseBody());
  app.use(csrfProtection());

  const router = new Router();
  staticFiles(router);
  consolePages(router, {
    api: deps.api,
    views,
    brand: deps.brand,
    features: deps.features,
    userApi: (ctx) => new UserApi(ctx, deps.api, refresher),
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
