import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';

// Adds `.openapi()` to zod schemas, which the registry uses to name components.
extendZodWithOpenApi(z);

export const ErrorBody = z.object({
  error: z.object({
    code: z.string().describe('snake_case error code'),
    message: z.string().describe('one sentence for a person'),
    details: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('only for 422: one entry per invalid field'),
  }),
});

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: '`malformed_body`: the body is not parseable JSON or form data',
  401: '`unauthenticated`, `invalid_credentials`, `invalid_token` or `token_reused`',
  403: '`forbidden`, `account_disabled` or `email_not_verified`',
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

/** A registry with the shared components every service's document uses. */
export function createOpenApiRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.register('Error', ErrorBody);
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An RS256 access token from `POST /auth/token`.',
  });
  registry.registerComponent('securitySchemes', 'service', {
    type: 'http',
    scheme: 'bearer',
    description: 'A service credential: the shared `SERVICE_TOKEN`, or a projected ServiceAccount token in Kubernetes.',
  });
  return registry;
}

export function buildOpenApiDocument(registry: OpenAPIRegistry, info: { title: string; version: string; description?: string }) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info,
  });
}

const SWAGGER_INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
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

/** `GET /openapi.json` and Swagger UI under `/docs`, served from swagger-ui-dist (no CDN). */
export function documentationRoutes(document: () => unknown): Router {
  const router = new Router();
  // Only the folder is needed: importing swagger-ui-dist evaluates its 2 MB of browser bundles,
  // which cost every service start-up time and resident memory.
  const assetDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  let cachedDocument: unknown;
  router.get('/openapi.json', (ctx) => {
    cachedDocument ??= document();
    ctx.body = cachedDocument;
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
