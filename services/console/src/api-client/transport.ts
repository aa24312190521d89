import type { IncomingMessage, ServerResponse } from 'node:http';
import inject from 'light-my-request';

/** One call to the public APIs, as the console makes it. */
export interface ApiRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Already serialised JSON, when there is a body. */
  body?: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** How a request reaches the APIs: over HTTP in Kubernetes, in-process in all-in-one mode. */
export type Transport = (request: ApiRequest) => Promise<ApiResponse>;

/** The APIs behind a base URL (the Ingress, or each service's cluster address). */
export function fetchTransport(baseUrl: string, timeoutMs = 10_000): Transport {
  const base = baseUrl.replace(/\/+$/, '');
  return async (request) => {
    const response = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, headers: Object.fromEntries(response.headers), text: await response.text() };
  };
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * The APIs served by a request handler in this process (a Koa app's `callback()`): the request
 * goes through the same middleware, guards and validation as one from the network, with no socket.
 */
export function inProcessTransport(handler: RequestHandler): Transport {
  return async (request) => {
    const response = await inject(handler, {
      method: request.method as 'GET',
      url: request.path,
      headers: request.headers,
      ...(request.body === undefined ? {} : { payload: request.body }),
      remoteAddress: request.headers['x-forwarded-for'] ?? '127.0.0.1',
    });
    const headers = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, String(value)]));
    return { status: response.statusCode, headers, text: response.payload };
  };
}
