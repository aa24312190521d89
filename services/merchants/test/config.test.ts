import assert from 'node:assert/strict';
import { configProblems } from '@merchant-platform/common/testing/config-problems';
import { merchantsConfigSchema } from '../src/config.js';

const problems = (env: Record<string, string>) => configProblems(merchantsConfigSchema, env);

const JWKS_URL = 'http://auth:8080/auth/.well-known/jwks.json';
const WEBHOOK_KEY = 'a-webhook-secret-key-of-32-characters-or-more';

describe('merchants service configuration', () => {
  it('requires the database and auth’s internal address in production, and a credential for it', () => {
    assert.deepEqual(problems({ NODE_ENV: 'production', JWKS_URL }), [
      'DATABASE_URL: is required when NODE_ENV=production',
      'AUTH_INTERNAL_URL: is required when NODE_ENV=production',
      'WEBHOOK_SECRET_KEY: is required when NODE_ENV=production',
    ]);
    assert.deepEqual(
      problems({
        NODE_ENV: 'production',
        JWKS_URL,
        DATABASE_URL: 'mysql://u:p@db:3306/merchants',
        AUTH_INTERNAL_URL: 'http://auth:8080',
        WEBHOOK_SECRET_KEY: WEBHOOK_KEY,
      }),
      ['SERVICE_TOKEN: is required when AUTH_INTERNAL_URL is set (or SERVICE_TOKEN_FILE)'],
    );
  });

  it('takes the shared secret or a projected token file as the credential it presents to auth', () => {
    const base = { JWKS_URL, AUTH_INTERNAL_URL: 'http://auth:8080' };
    assert.deepEqual(problems({ ...base, SERVICE_TOKEN: 'a-service-token-of-some-length' }), []);
    assert.deepEqual(problems({ ...base, SERVICE_TOKEN_FILE: '/var/run/secrets/tokens/auth' }), []);
  });

  it('needs no credential without AUTH_INTERNAL_URL outside production', () => {
    assert.deepEqual(problems({ JWKS_URL }), []);
  });

  it('never lets webhooks reach private addresses in production, and wants a long webhook key', () => {
    const production = {
      NODE_ENV: 'production',
      JWKS_URL,
      DATABASE_URL: 'mysql://u:p@db:3306/m',
      AUTH_INTERNAL_URL: 'http://auth:8080',
      SERVICE_TOKEN: 'a-service-token-of-some-length',
    };
    assert.deepEqual(problems({ ...production, WEBHOOK_SECRET_KEY: WEBHOOK_KEY, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }), [
      'WEBHOOK_ALLOW_PRIVATE_TARGETS: must be false when NODE_ENV=production',
    ]);
    assert.deepEqual(problems({ JWKS_URL, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }), []);
    assert.deepEqual(problems({ JWKS_URL, WEBHOOK_SECRET_KEY: 'short' }), [
      'WEBHOOK_SECRET_KEY: must be at least 32 characters (openssl rand -base64 32)',
    ]);
  });
});
