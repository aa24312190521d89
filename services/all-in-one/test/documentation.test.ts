import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { request } from '@merchant-platform/common/testing/http-server';
import { freePort } from '@merchant-platform/common/testing/ports';
import { REPOSITORY_ROOT, spawnReadyService, type SpawnedService } from '@merchant-platform/common/testing/processes';
import { ALL_IN_ONE_MAIN, OPENAPI_FILE, formatOpenApiDocument } from '../../../tools/openapi.js';

const PASSWORD = 'Correct-Horse1!';

/** Swagger UI's form encoding (buildFormData): empty fields left out, spaces as `+`. */
function swaggerFormBody(fields: Record<string, string>): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== '')
    .map(([key, value]) => `${key}=${encodeURIComponent(value).replace(/%20/g, '+')}`)
    .join('&');
}

describe('all-in-one documentation: /docs, the OpenAPI documents and the landing page', function () {
  this.timeout(60_000);
  let dataDir: string;
  let testDb: TestDatabase;
  let platform: SpawnedService & { base: string };
  let publicDoc: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- asserted field by field
  let internalDoc: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- asserted field by field

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mp-docs-'));
    testDb = await createTestDatabase();
    const env: Record<string, string> = { DATA_DIR: dataDir, BCRYPT_COST: '10', LOG_LEVEL: 'warn' };
    if (testDb.dialect === 'mysql') env.DATABASE_URL = testDb.url;
    platform = await spawnReadyService([ALL_IN_ONE_MAIN], env, await freePort());
    publicDoc = (await request(platform.base, 'GET', '/openapi.json')).body;
    internalDoc = (await request(platform.base, 'GET', '/openapi.internal.json')).body;
  });
  after(async () => {
    platform?.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    await testDb.drop();
  });

  it('serves exactly the committed docs/openapi.json', () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8').split('\n');
    const served = formatOpenApiDocument(publicDoc).split('\n');
    const line = served.findIndex((text, i) => text !== committed[i]);
    assert.equal(line, -1, `docs/openapi.json differs from what the code serves from line ${line + 1}: run npm run openapi`);
  });

  it("keeps the email service's routes and switched-off Google sign-in out of the public document, and in the internal one", () => {
    const internalOnly = [
      '/emails',
      '/emails/{id}',
      '/send-email/',
      '/send-email',
      '/auth/google/login',
      '/auth/google/callback',
      '/internal/events',
      '/internal/recipients/export',
      '/internal/revocations',
      '/internal/users/{user_id}/departure',
      '/internal/users/{user_id}/export',
    ];
    for (const path of internalOnly) {
      assert.equal(publicDoc.paths[path], undefined, `${path} is public`);
      assert.ok(internalDoc.paths[path], `${path} is missing from the internal document`);
    }
    assert.equal(publicDoc.components.securitySchemes.service, undefined);
    assert.equal(publicDoc.components.schemas.Email, undefined);
    assert.deepEqual(
      Object.keys(internalDoc.paths)
        .filter((path) => !publicDoc.paths[path])
        .sort(),
      [...internalOnly].sort(),
    );
  });

  it("marks the seed's aliases deprecated and lists tags as a user meets them", () => {
    for (const [path, method] of [
      ['/register', 'post'],
      ['/token', 'post'],
      ['/users/me/', 'get'],
    ] as const) {
      assert.equal(publicDoc.paths[path][method].deprecated, true, path);
    }
    assert.equal(publicDoc.paths['/auth/register'].post.deprecated, undefined);
    assert.deepEqual(
      publicDoc.tags.map((t: { name: string }) => t.name),
      ['sign-up', 'sign-in', 'account', 'users', 'merchants', 'admin', 'webhooks'],
    );
  });

  it('introduces the platform at /docs: what it is, how to get a token and how to refresh it', () => {
    const intro: string = publicDoc.info.description;
    for (const step of [
      'POST /auth/register',
      'POST /auth/token',
      'grant_type=password',
      'POST /auth/email/verification/confirm',
      'POST /auth/refresh',
      'token_reused',
    ]) {
      assert.ok(intro.includes(step), `the introduction says nothing about ${step}`);
    }
    assert.ok(intro.indexOf('POST /auth/register') < intro.indexOf('POST /auth/token'));
  });

  it("signs in with the form Swagger UI's Authorize posts to the document's token URL, and the token opens a bearer route", async () => {
    const email = 'swagger@example.com';
    const registered = await request(platform.base, 'POST', '/auth/register', {
      json: { email, password: PASSWORD, confirm_password: PASSWORD, first_name: 'Swagger', last_name: 'User' },
    });
    assert.equal(registered.status, 201);
    const tokenUrl = publicDoc.components.securitySchemes.oauth2.flows.password.tokenUrl;
    assert.equal(tokenUrl, '/auth/token');
    assert.deepEqual(publicDoc.paths['/auth/me'].get.security, [{ bearer: [] }, { oauth2: [] }]);

    // What Swagger UI 5 sends by default: no scopes, empty client id and secret in Basic auth.
    const signedIn = await request(platform.base, 'POST', tokenUrl, {
      body: swaggerFormBody({ grant_type: 'password', scope: '', username: email, password: PASSWORD }),
      headers: {
        Accept: 'application/json, text/plain, */*',
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Requested-With': 'XMLHttpRequest',
        Authorization: `Basic ${btoa(':')}`,
      },
    });
    assert.equal(signedIn.status, 200, signedIn.text);
    assert.equal(signedIn.body.token_type, 'bearer');
    assert.equal(signedIn.body.error, undefined, 'Swagger UI treats an `error` member as a failed sign-in');
    const me = await request(platform.base, 'GET', '/auth/me', { token: signedIn.body.access_token });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.email, email);
  });

  it('serves the console at / and the landing page at /start, linking to /docs, /healthz and the first steps of the walk-through', async () => {
    const root = await fetch(`${platform.base}/`, { redirect: 'manual' });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/sign-in');
    const page = await fetch(`${platform.base}/start`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    const html = await page.text();
    assert.match(html, /<h1>Merchant Platform<\/h1>/);
    assert.match(html, /Version 0\.1\.0/);
    for (const link of ['/docs/', '/healthz', '/docs/#/sign-up/post_auth_register', '/docs/#/sign-in/post_auth_token']) {
      assert.ok(html.includes(`href="${link}"`), `no link to ${link}`);
    }
    assert.match(html, /walk-through/);
  });

  it('links the landing page to Swagger UI operations that exist', () => {
    const source = readFileSync(join(REPOSITORY_ROOT, 'services/common/src/http/landing-page.ts'), 'utf8');
    const anchors = [...source.matchAll(/'([\w-]+)\/(get|put|post|patch|delete)(_\w+)'/g)];
    assert.ok(anchors.length >= 5, 'the landing page links no operations any more');
    for (const [, tag, method, path] of anchors) {
      // Swagger UI's operation ids replace every non-word character of the path with `_`.
      const route = Object.keys(publicDoc.paths).find((p) => p.replace(/\W/g, '_') === path && publicDoc.paths[p][method!]);
      assert.ok(route, `no public ${method} route for ${path}`);
      assert.ok(publicDoc.paths[route][method!].tags.includes(tag), `${method} ${route} is not tagged ${tag}`);
    }
  });

  it('docs/api.md describes every route of the public document', () => {
    const contract = readFileSync(join(REPOSITORY_ROOT, 'docs', 'api.md'), 'utf8');
    for (const [path, item] of Object.entries<Record<string, unknown>>(publicDoc.paths)) {
      for (const method of Object.keys(item)) {
        const mentioned = new RegExp(`${method.toUpperCase()} ${path.replace(/[{}]/g, '\\$&')}(\\?|\`|\\s)`).test(contract);
        assert.ok(mentioned, `docs/api.md does not mention ${method.toUpperCase()} ${path}`);
      }
    }
  });
});
