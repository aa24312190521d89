import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type Koa from 'koa';
import type { z } from 'zod';
import type { ErrorBody as ErrorBodySchema } from '../src/http/openapi.js';
import { checkResponseAgainstDocument } from './response-contract.js';

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves a Koa app on an ephemeral loopback port, so tests talk real HTTP. */
export async function listen(app: Koa): Promise<RunningServer> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The contract's error body: what a test reads from an answer it expects to fail. */
/** The contract's error body, as the OpenAPI document declares it. */
export type ErrorBody = z.output<typeof ErrorBodySchema>;

/**
 * Route tests name the body they expect (`request<{ user: UserView }>`, `request<ErrorBody>`), so
 * a misspelt field fails type-checking; the `any` default is for deliberately off-contract exchanges.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  token?: string;
  contract?: false;
}

/**
 * fetch with JSON in and out; the raw text is kept for the no-secrets scans. Every answer is
 * checked against the OpenAPI document the server publishes (status declared, body matching its
 * schema) and a mismatch fails the test; `contract: false` skips that for a deliberately
 * off-contract exchange.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see JsonResponse
export async function request<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(baseUrl + path, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (options.contract !== false) {
    const violation = await checkResponseAgainstDocument(
      baseUrl,
      method,
      path,
      response.status,
      response.headers.get('content-type'),
      parsed,
    );
    if (violation) throw new Error(`Contract violation: ${violation.message}\n${text.slice(0, 500)}`);
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/**
 * Asserts the contract's error answer: the status, and a body that is exactly the error object
 * with this code (the status alone would pass for the wrong refusal).
 */
export function assertError(res: JsonResponse, status: number, code: string, message?: string): void {
  const where = message ? `${message}: ` : '';
  if (res.status !== status) throw new Error(`${where}expected ${status} ${code}, got ${res.status} ${res.text}`);
  const body = res.body as ErrorBody | undefined;
  if (!body || Object.keys(body).join() !== 'error' || body.error.code !== code) {
    throw new Error(`${where}expected the error body with code ${code}, got ${res.text}`);
  }
}
