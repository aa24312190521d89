import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { API_TAGS } from './api-guide.js';

// Adds `.openapi()` to zod schemas, which the registry uses to name components.
extendZodWithOpenApi(z);

/** The one error body; named, so every error response refers to `#/components/schemas/Error`. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe('snake_case error code'),
      message: z.string().describe('one sentence for a person'),
      details: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .optional()
        .describe('only for 422: one entry per invalid field'),
    }),
  })
  .openapi('Error');

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: '`malformed_body`: the body is not parseable JSON or form data',
  401: '`unauthenticated`, `invalid_credentials`, `invalid_token`, `token_reused` or `step_up_required`',
  403: '`forbidden`, `insufficient_scope`, `account_disabled`, `email_not_verified` or `mfa_enrollment_required`',
  404: '`not_found`',
  405: '`method_not_allowed`, with `Allow`',
  409: '`email_taken` or `conflict`',
  413: '`payload_too_large`: body over 64 KiB',
  415: '`unsupported_media_type`',
  422: '`validation_failed` (with `details`) or a domain code such as `invalid_code`',
  429: '`rate_limited`, with `Retry-After` (seconds)',
  503: '`unavailable`, with `Retry-After`',
};

export function errorResponses(statuses: number[]) {
  return Object.fromEntries(
    [...statuses, 500]
      .sort((a, b) => a - b)
      .map((status) => [
        String(status),
        {
          description: ERROR_DESCRIPTIONS[status] ?? '`internal`: unexpected; carries no internals',
          content: { 'application/json': { schema: ErrorBody } },
        },
      ]),
  );
}

/**
 * The operation extension that keeps a route out of the public document (ApiRouter sets it);
 * the internal document shows it, so a reader sees which routes are internal.
 */
export const INTERNAL = 'x-internal';

/** Where Swagger UI's Authorize (OAuth2 password flow) posts the user's e-mail and password. */
const TOKEN_URL = '/auth/token';

/** A registry with the shared components every service's document uses. */
export function createOpenApiRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: `An RS256 access token from \`POST ${TOKEN_URL}\`.`,
  });
  registry.registerComponent('securitySchemes', 'oauth2', {
    type: 'oauth2',
    description:
      'The same access token, fetched by signing in: your e-mail is the username. The token endpoint takes the form ' +
      '`grant_type=password&username=&password=` and ignores client credentials.',
    flows: { password: { tokenUrl: TOKEN_URL, scopes: {} } },
  });
  registry.registerComponent('securitySchemes', 'service', {
    type: 'http',
    scheme: 'bearer',
    description: 'A service credential: the shared `SERVICE_TOKEN`, or a projected ServiceAccount token in Kubernetes.',
  });
  return registry;
}

/** An operation's `security`: a user's access token may be pasted (bearer) or fetched by Swagger UI (oauth2). */
export function securityFor(scheme: string, alternatives: string[] = []): Record<string, string[]>[] {
  const main: Record<string, string[]>[] = scheme === 'bearer' ? [{ bearer: [] }, { oauth2: [] }] : [{ [scheme]: [] }];
  return [...main, ...alternatives.map((alternative) => ({ [alternative]: [] }))];
}

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export interface DocumentInfo {
  title: string;
  version: string;
  description?: string | undefined;
}

/**
 * The public document (what clients may call) and the internal one (everything this process
 * answers, internal and switched-off routes included), from the same definitions.
 */
export function buildOpenApiDocuments(
  registry: OpenAPIRegistry,
  info: DocumentInfo,
): { public: OpenApiDocument; internal: OpenApiDocument } {
  const definitions = registry.definitions;
  const isPublic = (d: (typeof definitions)[number]) => d.type !== 'route' || d.route[INTERNAL] !== true;
  return {
    public: generate(definitions.filter(isPublic), info),
    internal: generate(definitions, { ...info, title: `${info.title} (internal)` }),
  };
}

function generate(definitions: OpenAPIRegistry['definitions'], info: DocumentInfo): OpenApiDocument {
  const document = new OpenApiGeneratorV31(definitions).generateDocument({ openapi: '3.1.0', info: { ...info } });
  // The usual reading order. No `webhooks` section: the events merchants receive are described in docs/api.md.
  return {
    openapi: document.openapi,
    info: document.info,
    tags: tagsInUse(document),
    paths: document.paths,
    components: referencedComponents(document),
  };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

function operationsOf(document: OpenApiDocument) {
  return Object.values(document.paths ?? {}).flatMap((item) => METHODS.flatMap((m) => (item[m] ? [item[m]] : [])));
}

/** The tags the routes use, in the order of API_TAGS (a user's order), unknown ones after. */
function tagsInUse(document: OpenApiDocument) {
  const used = new Set(operationsOf(document).flatMap((op) => op.tags ?? []));
  const known = API_TAGS.filter((tag) => used.has(tag.name));
  const unknown = [...used].filter((name) => !API_TAGS.some((tag) => tag.name === name)).map((name) => ({ name }));
  return [...known, ...unknown];
}

/**
 * Only the components the document's routes reach, sorted by name: a schema or security scheme
 * used only by internal routes never shows in the public document.
 */
function referencedComponents(document: OpenApiDocument) {
  const components = (document.components ?? {}) as Record<string, Record<string, unknown>>;
  const reached = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && !reached.has(ref)) {
      reached.add(ref);
      const [, , type, name] = ref.split('/');
      visit(components[type!]?.[name!]);
    }
    Object.values(node).forEach(visit);
  };
  visit(document.paths);
  const schemes = new Set(operationsOf(document).flatMap((op) => (op.security ?? []).flatMap((requirement) => Object.keys(requirement))));
  const kept: Record<string, Record<string, unknown>> = {};
  for (const type of Object.keys(components).sort()) {
    const names = Object.keys(components[type]!)
      .filter((name) => (type === 'securitySchemes' ? schemes.has(name) : reached.has(`#/components/${type}/${name}`)))
      .sort();
    if (names.length) kept[type] = Object.fromEntries(names.map((name) => [name, components[type]![name]]));
  }
  return kept;
}

/** The public document first; the top bar switches to the internal one. */
const SWAGGER_INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    urls: [
      { url: '/openapi.json', name: 'Public API' },
      { url: '/openapi.internal.json', name: 'Internal routes' },
    ],
    'urls.primaryName': 'Public API',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

const SWAGGER_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-16x16.png': 'image/png',
  'favicon-32x32.png': 'image/png',
  'index.html': 'text/html; charset=utf-8',
};

/**
 * `GET /openapi.json` (public), `GET /openapi.internal.json` and Swagger UI under `/docs`, served
 * from swagger-ui-dist (no CDN).
 */
export function documentationRoutes(documents: () => { public: OpenApiDocument; internal: OpenApiDocument }): Router {
  const router = new Router();
  // Only the folder is needed: importing swagger-ui-dist evaluates its 2 MB of browser bundles,
  // which cost every service start-up time and resident memory.
  const assetDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  let built: { public: OpenApiDocument; internal: OpenApiDocument } | undefined;
  router.get('/openapi.json', (ctx) => {
    built ??= documents();
    ctx.body = built.public;
  });
  router.get('/openapi.internal.json', (ctx) => {
    built ??= documents();
    ctx.body = built.internal;
  });
  router.get('/docs', (ctx) => {
    // Relative asset links in Swagger UI's page only resolve under a trailing slash.
    if (!ctx.path.endsWith('/')) return ctx.redirect('/docs/');
    return sendAsset(ctx, 'index.html');
  });
  router.get('/docs/:asset', (ctx) => sendAsset(ctx, ctx.params.asset!));

  async function sendAsset(ctx: Context, asset: string) {
    if (asset === 'swagger-initializer.js') {
      ctx.type = 'text/javascript; charset=utf-8';
      ctx.body = SWAGGER_INITIALIZER;
      return;
    }
    const type = SWAGGER_ASSETS[asset];
    if (!type) return; // falls through to the 404 handler
    ctx.type = type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = await readFile(join(assetDir, asset));
  }
  return router;
}
