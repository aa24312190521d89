import assert from 'node:assert/strict';
import { teamsStage } from '../teams/teams-harness.js';

type Operation = { security?: Record<string, string[]>[]; responses: Record<string, unknown> };
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { bearerFormat?: string }> };
};

describe('merchant API keys: the OpenAPI document', () => {
  const stage = teamsStage();

  it('offers the API key as an alternative scheme exactly on the routes a scope can allow', async () => {
    const { body: doc } = await stage.call<Document>('GET', '/openapi.json');
    const schemes = (path: string, method: string) => (doc.paths[path]![method]!.security ?? []).flatMap((entry) => Object.keys(entry));
    assert.equal(doc.components.securitySchemes['merchantApiKey']?.bearerFormat, 'mpk_…');
    for (const [path, method] of [
      ['/merchants/{id}/profile', 'get'],
      ['/merchants/{id}/profile', 'put'],
      ['/merchants/{id}/members', 'get'],
    ] as const) {
      assert.deepEqual(schemes(path, method), ['bearer', 'oauth2', 'merchantApiKey'], `${method} ${path}`);
      assert.ok('429' in doc.paths[path]![method]!.responses, `${method} ${path} documents the key's rate limit`);
    }
    for (const [path, method] of [
      ['/merchants/{id}/api-keys', 'post'],
      ['/merchants/{id}/api-keys', 'get'],
      ['/merchants/{id}/api-keys/{key_id}/roll', 'post'],
      ['/merchants/{id}/api-keys/{key_id}', 'delete'],
      ['/merchants/{id}/settings', 'patch'],
      ['/merchants/me', 'get'],
    ] as const) {
      assert.deepEqual(schemes(path, method), ['bearer', 'oauth2'], `${method} ${path}`);
    }
  });
});
