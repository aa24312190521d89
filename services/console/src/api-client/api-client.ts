import { apiErrorFrom } from './api-error.js';
import type { Transport } from './transport.js';

/** Who the browser is, passed on so the APIs' sessions and limits see the person, not the console. */
export interface Caller {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

export interface CallOptions {
  token?: string | undefined;
  json?: unknown;
  caller?: Caller | undefined;
}

/**
 * The console's only way to the platform: the public HTTP APIs, through a transport. Answers the
 * parsed JSON body (undefined for 204); throws ApiError with the contract's error for any other status.
 */
export class ApiClient {
  constructor(private readonly transport: Transport) {}

  async call<T = unknown>(method: string, path: string, options: CallOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    if (options.caller?.ip) headers['x-forwarded-for'] = options.caller.ip;
    if (options.caller?.userAgent) headers['user-agent'] = options.caller.userAgent;
    const response = await this.transport({
      method,
      path,
      headers,
      ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
    });
    if (response.status >= 200 && response.status < 300) {
      // A 202 or 204 without a body arrives as nothing or as the status text ("Accepted"), not JSON.
      const isJson = /^application\/(.+\+)?json/i.test(response.headers['content-type'] ?? '');
      return (isJson && response.text ? JSON.parse(response.text) : undefined) as T;
    }
    throw apiErrorFrom(response.status, response.text, response.headers['retry-after']);
  }

  get<T>(path: string, options?: CallOptions): Promise<T> {
    return this.call<T>('GET', path, options);
  }

  post<T>(path: string, options?: CallOptions): Promise<T> {
    return this.call<T>('POST', path, options);
  }
}
