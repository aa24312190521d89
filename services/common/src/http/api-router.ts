import { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { ZodObject, ZodType, z } from 'zod';
import { notFound } from '../errors.js';
import { NO_CONTROL_CHARACTERS } from '../text.js';
import { parseOr422, readBody } from './validate.js';
import { errorResponses } from './openapi.js';

/** A check run before the handler (bearer token, role, service credential), documented too. */
export interface Guard {
  middleware: Middleware;
  /** The OpenAPI security scheme it implements, e.g. `bearer`. */
  scheme: string;
  /** Error statuses it can answer with, for the document. */
  errors: number[];
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<B extends ZodType, Q extends ZodObject, P extends ZodObject> {
  method: Method;
  /** OpenAPI-style path, `/merchants/{id}`. */
  path: string;
  /** Extra paths answered by the same handler (the seed's `/register`, `/token`, ...). */
  aliases?: string[];
  summary: string;
  description?: string;
  tags: string[];
  /** Served, but left out of the OpenAPI document: service-to-service routes the Ingress never routes. */
  internal?: boolean;
  guards?: Guard[];
  body?: B;
  /** Accept `application/x-www-form-urlencoded` as well as JSON. */
  form?: boolean;
  query?: Q;
  params?: P;
  responses: Record<number, { description: string; schema?: ZodType }>;
  /** Error statuses the handler itself may answer (guards and validation add theirs). */
  errors?: number[];
  handler: (
    ctx: Context,
    input: { body: z.output<B>; query: z.output<Q>; params: z.output<P> },
  ) => Promise<void> | void;
}

const toKoaPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/**
 * One definition per route serves both the Koa route (guards, validation, handler) and the
 * OpenAPI document, so the two cannot drift apart.
 */
export class ApiRouter {
  readonly router = new Router();

  constructor(private readonly registry: OpenAPIRegistry) {}

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
      if (!spec.internal) this.document(spec, path);
    }
    return this;
  }

  private document<B extends ZodType, Q extends ZodObject, P extends ZodObject>(spec: RouteSpec<B, Q, P>, path: string) {
    const errorStatuses = new Set([...(spec.errors ?? []), ...(spec.guards ?? []).flatMap((g) => g.errors)]);
    if (spec.body || spec.query || spec.params) errorStatuses.add(422);
    if (spec.body) [400, 413, 415].forEach((s) => errorStatuses.add(s));
    const bodyContent: Record<string, { schema: ZodType }> = {};
    if (spec.body) {
      bodyContent['application/json'] = { schema: spec.body };
      if (spec.form) bodyContent['application/x-www-form-urlencoded'] = { schema: spec.body };
    }
    const config: RouteConfig = {
      method: spec.method,
      path,
      summary: spec.summary,
      description: path === spec.path ? spec.description : `Alias of \`${spec.method.toUpperCase()} ${spec.path}\`.`,
      tags: spec.tags,
      security: spec.guards?.length ? [{ [spec.guards[0]!.scheme]: [] }] : [],
      request: {
        ...(spec.body ? { body: { required: true, content: bodyContent } } : {}),
        ...(spec.query ? { query: spec.query } : {}),
        ...(spec.params ? { params: spec.params } : {}),
      },
      responses: {
        ...Object.fromEntries(
          Object.entries(spec.responses).map(([status, r]) => [
            status,
            r.schema ? { description: r.description, content: { 'application/json': { schema: r.schema } } } : { description: r.description },
          ]),
        ),
        ...errorResponses([...errorStatuses]),
      },
    };
    this.registry.registerPath(config);
  }
}
