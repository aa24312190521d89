import { Gauge, type Registry } from 'prom-client';
import { hashingQueue } from './domain/passwords.js';
import { signInAttempts } from './domain/sign-in-metrics.js';

/**
 * Auth's own metrics on the process registry: sign-in outcomes (counted by the use-cases) and
 * the bcrypt queue (read at scrape time). A second auth module on one registry (tests) shares them.
 */
export function registerAuthMetrics(registry: Registry): void {
  if (registry.getSingleMetric('auth_sign_in_attempts_total')) return;
  registry.registerMetric(signInAttempts);
  new Gauge({
    name: 'auth_bcrypt_queue_waiting',
    help: 'Password hashes and checks waiting for a free hashing thread (a sign-in storm shows here first)',
    registers: [registry],
    collect() {
      this.set(hashingQueue().waiting);
    },
  });
  new Gauge({
    name: 'auth_bcrypt_threads_busy',
    help: 'Hashing threads running bcrypt now',
    registers: [registry],
    collect() {
      this.set(hashingQueue().running);
    },
  });
  new Gauge({
    name: 'auth_bcrypt_threads',
    help: 'Hashing threads bcrypt may use at once (thread pool size - 1, at most the cores)',
    registers: [registry],
    collect() {
      this.set(hashingQueue().threads);
    },
  });
}
