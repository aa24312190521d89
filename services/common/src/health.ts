import { Router } from '@koa/router';
import { unavailable } from './errors.js';
import type { Metrics } from './metrics.js';
import type { Logger } from './logger.js';

/** A readiness check: resolves when the dependency is usable, throws with a reason otherwise. */
export type ReadinessCheck = { name: string; check: () => Promise<void> };

export interface HealthState {
  /** Set on SIGTERM so the load balancer stops sending traffic before the server closes. */
  draining: boolean;
}

/**
 * `/healthz` answers from memory (the process is up); `/readyz` runs every check (database
 * reachable, migrations at this build's version); `/metrics` is the Prometheus text format.
 */
export function healthRoutes(options: { checks: ReadinessCheck[]; state: HealthState; metrics: Metrics; logger: Logger }): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    if (options.state.draining) throw unavailable('The service is shutting down.');
    const failures: string[] = [];
    await Promise.all(
      options.checks.map(async ({ name, check }) => {
        try {
          await check();
        } catch (error) {
          failures.push(name);
          options.logger.warn({ check: name, reason: (error as Error).message }, 'readiness check failed');
        }
      }),
    );
    if (failures.length > 0) throw unavailable(`Not ready: ${failures.sort().join(', ')}.`);
    ctx.body = { status: 'ready' };
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = options.metrics.registry.contentType;
    ctx.body = await options.metrics.registry.metrics();
  });
  return router;
}
