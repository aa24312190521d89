import { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { ZodObject, ZodType, z } from 'zod';
import { notFound } from '../errors.js';
import { NO_CONTROL_CHARACTERS } from '../text.js';
import { parseOr422, readBody } from './validate.js';
import { INTERNAL, errorResponses, securityFor } from './openapi.js';

/** A check run before the handler (bearer token, role, service credential), documented too. */
export interface Guard {
  middleware: Middleware;
  /** The OpenAPI security scheme it implements, e.g. `bearer`. */
  scheme: string;
  /** Other schemes a caller may use instead (a merchant API key beside the user's token), documented as alternatives. */
  alternatives?: string[];
  /** Error statuses it can answer with, for the document. */
  errors: number[];
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<B extends ZodType, Q extends ZodObject, P extends ZodObject> {
  method: Method;
  /** OpenAPI-style path, `/merchants/{id}`. */
  path: string;
  /** Extra paths answered by the same handler (the seed's `/register`, `/token`, ...); documented as deprecated. */
  aliases?: string[];
  /**
   * Left out of the public OpenAPI document and kept in the internal one: cluster-internal routes,
   * and routes switched off by configuration. Paths under `/internal/` are internal anyway.
   */
  internal?: boolean;
  /** Documented as deprecated: still answered, but new clients should not call it. */
  deprecated?: boolean;
  summary: string;
  description?: string;
  tags: string[];
  guards?: Guard[];
  body?: B;
  /** Accept `application/x-www-form-urlencoded` as well as JSON. */
  form?: boolean;
  query?: Q;
  params?: P;
  responses: Record<number, { description: string; schema?: ZodType }>;
  /** Error statuses the handler itself may answer (guards and validation add theirs). */
  errors?: number[];
  handler: (ctx: Context, input: { body: z.output<B>; query: z.output<Q>; params: z.output<P> }) => Promise<void> | void;
}

const toKoaPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/**
 * One definition per route serves both the Koa route (guards, validation, handler) and the
 * OpenAPI document, so the two cannot drift apart.
 */
export class ApiRouter {
  readonly router = new Router();
  private readonly documented: RouteConfig[] = [];
  private allInternal = false;

  constructor(private readonly registry: OpenAPIRegistry) {}

  /**
   * Moves every route of this router, defined or still to come, to the internal document. A host
   * that serves a cluster-internal service beside public ones (all-in-one mode's email) calls it.
   */
  markInternal(): this {
    this.allInternal = true;
    for (const config of this.documented) config[INTERNAL] = true;
    return this;
  }

  route<B extends ZodType, Q extends ZodObject, P extends ZodObject>(spec: RouteSpec<B, Q, P>): this {
    const guards = spec.guards ?? [];
    const run: Middleware = async (ctx) => {
      // No id contains a control character; some drivers choke on a NUL, so stop here.
      if (Object.values(ctx.params ?? {}).some((value) => !NO_CONTROL_CHARACTERS.test(String(value)))) throw notFound();
      const input = {
        params: spec.params ? parseOr422(spec.params, ctx.params, 'path') : {},
        query: spec.query ? parseOr422(spec.query, ctx.query, 'query') : {},
        body: spec.body ? readBody(ctx, spec.body, spec.form ?? false) : undefined,
      } as { body: z.output<B>; query: z.output<Q>; params: z.output<P> };
      await spec.handler(ctx, input);
    };
    for (const path of [spec.path, ...(spec.aliases ?? [])]) {
      this.router[spec.method](toKoaPath(path), ...guards.map((g) => g.middleware), run);
      this.document(spec, path);
    }
    return this;
  }

  private document<B extends ZodType, Q extends ZodObject, P extends ZodObject>(spec: RouteSpec<B, Q, P>, path: string) {
    const errorStatuses = new Set([...(spec.errors ?? []), ...(spec.guards ?? []).flatMap((g) => g.errors)]);
    if (spec.body || spec.query || spec.params) errorStatuses.add(422);
    if (spec.body) [400, 413, 415].forEach((s) => errorStatuses.add(s));
    // Any route may find the database or another dependency down.
    errorStatuses.add(503);
    const bodyContent: Record<string, { schema: ZodType }> = {};
    if (spec.body) {
      bodyContent['application/json'] = { schema: spec.body };
      if (spec.form) bodyContent['application/x-www-form-urlencoded'] = { schema: spec.body };
    }
    const isAlias = path !== spec.path;
    const config: RouteConfig = {
      method: spec.method,
      path,
      summary: spec.summary,
      description: isAlias ? `Alias of \`${spec.method.toUpperCase()} ${spec.path}\`, kept for the seed's clients.` : spec.description,
      tags: spec.tags,
      ...(isAlias || spec.deprecated ? { deprecated: true } : {}),
      ...(this.allInternal || spec.internal || path.startsWith('/internal/') ? { [INTERNAL]: true } : {}),
      security: spec.guards?.length ? securityFor(spec.guards[0]!.scheme, spec.guards[0]!.alternatives) : [],
      request: {
        ...(spec.body ? { body: { required: true, content: bodyContent } } : {}),
        ...(spec.query ? { query: spec.query } : {}),
        ...(spec.params ? { params: spec.params } : {}),
      },
      // A route's own description of a status (a richer 401 body) wins over the generic error response.
      responses: {
        ...errorResponses([...errorStatuses]),
        ...Object.fromEntries(
          Object.entries(spec.responses).map(([status, r]) => [
            status,
            r.schema
              ? { description: r.description, content: { 'application/json': { schema: r.schema } } }
              : { description: r.description },
          ]),
        ),
      },
    };
    // The registry keeps this object, so markInternal() can still move it to the internal document.
    this.documented.push(config);
    this.registry.registerPath(config);
  }
}
