import type { Server } from 'node:http';
import type Koa from 'koa';
import type { HealthState } from '../health.js';
import type { Logger } from '../logger.js';
import { ConnectionDrain } from './connection-drain.js';

export interface ServeOptions {
  port: number;
  host: string;
  logger: Logger;
  health: HealthState;
  graceSeconds: number;
  /** Stops background work and closes the pool, after the last request finished. */
  onClose: () => Promise<void>;
}

/**
 * Listens, and on SIGTERM/SIGINT drains: readiness 503, stop accepting, finish in-flight requests
 * (each answered with `Connection: close`, each socket closed once idle), close, exit 0.
 */
export async function serve(app: Koa, options: ServeOptions): Promise<Server> {
  const server = app.listen(options.port, options.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // Slow clients must not hold a socket forever (slowloris); keep-alive outlives typical LB idle timeouts.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 65_000;
  const drain = new ConnectionDrain(server);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.health.draining = true;
    options.logger.info({ signal }, 'shutting down: draining in-flight requests');
    const deadline = setTimeout(() => {
      options.logger.warn('grace period over: closing remaining connections');
      server.closeAllConnections();
    }, options.graceSeconds * 1000);
    deadline.unref();
    drain.start(async () => {
      try {
        await options.onClose();
        options.logger.info('shut down cleanly');
        process.exit(0);
      } catch (error) {
        options.logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      }
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return server;
}
