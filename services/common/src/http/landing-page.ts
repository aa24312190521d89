import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { escapeHtml } from '../text.js';
import { ApiRouter } from './api-router.js';
import type { ServiceModule } from './app.js';

export interface LandingPage {
  name: string;
  version: string;
  /** Where it is served: `/` unless the console has that path (all-in-one mode). */
  path?: string;
}

/** The first steps of the README's walk-through, each linked to its route in Swagger UI. */
const FIRST_STEPS: [text: string, route: string, anchor: string][] = [
  ['Register; a 6-digit code is e-mailed (printed on the console in all-in-one mode)', 'POST /auth/register', 'sign-up/post_auth_register'],
  ['Sign in for a token pair', 'POST /auth/token', 'sign-in/post_auth_token'],
  ['Verify the e-mail address with the code', 'POST /auth/email/verification/confirm', 'sign-up/post_auth_email_verification_confirm'],
  ['Refresh for a token that says the address is verified', 'POST /auth/refresh', 'sign-in/post_auth_refresh'],
  ['Save your merchant profile', 'PUT /merchants/me', 'merchants/put_merchants_me'],
];

/**
 * `GET /` (or `page.path`): a plain server-rendered page for a developer who wants the API's
 * starting points. It is for people, not clients, so it stays out of the OpenAPI documents.
 */
export function landingPageModule(registry: OpenAPIRegistry, page: LandingPage): ServiceModule {
  const api = new ApiRouter(registry);
  const html = renderLandingPage(page);
  api.router.get(page.path ?? '/', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = html;
  });
  return { name: 'landing-page', api, readiness: [] };
}

export function renderLandingPage(page: LandingPage): string {
  const name = escapeHtml(page.name);
  const steps = FIRST_STEPS.map(
    ([text, route, anchor]) => `      <li>${escapeHtml(text)}: <a href="/docs/#/${anchor}"><code>${escapeHtml(route)}</code></a></li>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${name}</title>
    <style>body { font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #222; }</style>
  </head>
  <body>
    <h1>${name}</h1>
    <p>Version ${escapeHtml(page.version)}. Merchant sign-up and identity: accounts and tokens, business profiles, e-mail.</p>
    <ul>
      <li><a href="/docs/">API reference</a> (Swagger UI: try every route, sign in with <em>Authorize</em>)</li>
      <li><a href="/openapi.json">OpenAPI document</a> and the <a href="/openapi.internal.json">internal one</a></li>
      <li><a href="/healthz">Health</a> and <a href="/readyz">readiness</a></li>
    </ul>
    <h2>First steps</h2>
    <ol>
${steps}
    </ol>
    <p>The README's walk-through (<em>A walk-through with curl</em>) runs the same steps with curl.</p>
  </body>
</html>
`;
}
