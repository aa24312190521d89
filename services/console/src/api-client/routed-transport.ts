import type { Transport } from './transport.js';

/**
 * In Kubernetes each API is its own Service: a request goes to the one owning its first path
 * segment (`/auth/...` to auth, `/merchants/...` and `/users/...` to merchants).
 */
export function routedTransport(routes: Record<string, Transport>): Transport {
  return (request) => {
    const segment = `/${request.path.split('/')[1] ?? ''}`;
    const transport = routes[segment];
    if (!transport) return Promise.reject(new Error(`no API serves ${segment}`));
    return transport(request);
  };
}
