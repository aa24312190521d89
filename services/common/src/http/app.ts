import Koa from 'koa';
import { Router } from '@koa/router';
import cors from '@koa/cors';
import session from 'koa-session';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Logger } from '../logger.js';
import { observeRequests, type Metrics } from '../metrics.js';
import { healthRoutes, type HealthState, type ReadinessCheck } from '../health.js';
import type { ApiRouter } from './api-router.js';
import { parseBody, DEFAULT_BODY_LIMIT } from './body-parser.js';
import { errorHandler } from './error-handler.js';
import { buildOpenApiDocuments, documentationRoutes } from './openapi.js';
import { requestContext } from './request-context.js';
import { securityHeaders } from './security-headers.js';

/** What a service contributes to an app: its routes, its readiness checks, its background work. */
export interface ServiceModule {
  name: string;
  api: ApiRouter;
  readiness: ReadinessCheck[];
  /**
   * Path prefixes whose routes keep state in the signed session cookie (auth's Google sign-in):
   * the session middleware runs on these alone, not on every request.
   */
  sessionPaths?: string[];
  /** Background work (the e-mail dispatcher), started once the app listens. */
  start?(): void;
  /** Stops background work; called on shutdown before the database closes. */
  stop?(): Promise<void>;
}

export interface AppOptions {
  title: string;
  version: string;
  description?: string;
  modules: ServiceModule[];
  openapi: OpenAPIRegistry;
  logger: Logger;
  metrics: Metrics;
  health: HealthState;
  trustProxy: boolean;
  corsOrigins: string[];
  bodyLimitBytes?: number;
  /** Signed session cookie (Google sign-in keeps its state here). */
  session?: { keys: string[]; secure: boolean };
}

/**
 * Builds the Koa app every service (and all-in-one mode) serves: request id and logging,
 * metrics, security headers, CORS allow-list, one error path, the session cookie where a module
 * asks for it, body parsing, health, docs, the modules' routes, and 404/405 in the contract's shape.
 */
export function createApp(options: AppOptions): Koa {
  const app = new Koa({ proxy: options.trustProxy, maxIpsCount: 1 });
  // Errors are answered and logged by errorHandler; Koa's own printer would only duplicate them.
  app.silent = true;

  app.use(requestContext(options.logger));
  app.use(observeRequests(options.metrics, options.logger));
  app.use(securityHeaders());
  app.use(
    cors({
      origin: (ctx) => (options.corsOrigins.includes(ctx.get('Origin')) ? ctx.get('Origin') : ''),
      exposeHeaders: ['X-Request-Id', 'Retry-After'],
      maxAge: 600,
    }),
  );
  app.use(errorHandler());
  const sessionPaths = options.modules.flatMap((m) => m.sessionPaths ?? []);
  if (options.session && sessionPaths.length > 0) {
    app.keys = options.session.keys;
    const withSession = session(
      { key: 'mp_session', maxAge: 10 * 60_000, httpOnly: true, sameSite: 'lax', secure: options.session.secure, signed: true },
      app,
    );
    app.use((ctx, next) => (sessionPaths.some((prefix) => underPrefix(ctx.path, prefix)) ? withSession(ctx, next) : next()));
  }
  app.use(parseBody(options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT));

  const root = new Router();
  const health = healthRoutes({
    checks: options.modules.flatMap((m) => m.readiness),
    state: options.health,
    metrics: options.metrics,
    logger: options.logger,
  });
  const docs = documentationRoutes(() =>
    buildOpenApiDocuments(options.openapi, { title: options.title, version: options.version, description: options.description }),
  );
  root.use(health.routes(), docs.routes());
  for (const module of options.modules) root.use(module.api.router.routes());
  app.use(root.routes());
  app.use(root.allowedMethods());
  return app;
}

const underPrefix = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
