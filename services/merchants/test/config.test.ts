import assert from 'node:assert/strict';
import { configProblems } from '@merchant-platform/common/testing/config-problems';
import { merchantsConfigSchema } from '../src/config.js';

const problems = (env: Record<string, string>) => configProblems(merchantsConfigSchema, env);

const JWKS_URL = 'http://auth:8080/auth/.well-known/jwks.json';
const WEBHOOK_KEY = 'a-webhook-secret-key-of-32-characters-or-more';

describe('merchants service configuration', () => {
  it('requires the database, auth’s and email’s addresses and the console’s in production, and a credential for them', () => {
    assert.deepEqual(problems({ NODE_ENV: 'production', JWKS_URL }), [
      'DATABASE_URL: is required when NODE_ENV=production',
      'AUTH_INTERNAL_URL: is required when NODE_ENV=production',
      'EMAIL_SERVICE_URL: is required when NODE_ENV=production',
      'CONSOLE_URL: is required when NODE_ENV=production',
      'WEBHOOK_SECRET_KEY: is required when NODE_ENV=production',
      // Also who may call merchants' internal routes (auth): the shared secret in token mode.
      'SERVICE_TOKEN: is required when NODE_ENV=production and SERVICE_AUTH=token',
    ]);
    assert.deepEqual(problems({ NODE_ENV: 'development', JWKS_URL, AUTH_INTERNAL_URL: 'http://auth:8080' }), [
      'SERVICE_TOKEN: is required when AUTH_INTERNAL_URL is set (or SERVICE_TOKEN_FILE)',
    ]);
  });

  it('checks callers of the internal routes by TokenReview when SERVICE_AUTH=kubernetes, with an allow-list', () => {
    const inCluster = {
      NODE_ENV: 'production',
      JWKS_URL,
      DATABASE_URL: 'mysql://u:p@db:3306/merchants',
      AUTH_INTERNAL_URL: 'http://auth:8080',
      EMAIL_SERVICE_URL: 'http://email:8080',
      EMAIL_SERVICE_TOKEN_FILE: '/var/run/secrets/tokens/email',
      CONSOLE_URL: 'https://console.example.com',
      WEBHOOK_SECRET_KEY: WEBHOOK_KEY,
    };
    const tokenFile = '/var/run/secrets/tokens/auth';
    assert.deepEqual(problems({ ...inCluster, SERVICE_AUTH: 'kubernetes', SERVICE_TOKEN_FILE: tokenFile }), [
      'SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS: must list at least one ServiceAccount when SERVICE_AUTH=kubernetes',
    ]);
    const allowed = { SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS: 'system:serviceaccount:platform:auth' };
    assert.deepEqual(problems({ ...inCluster, SERVICE_AUTH: 'kubernetes', SERVICE_TOKEN_FILE: tokenFile, ...allowed }), []);
  });

  it('presents to email the shared secret, or a projected token file minted for email', () => {
    const base = { JWKS_URL, EMAIL_SERVICE_URL: 'http://email:8080' };
    assert.deepEqual(problems(base), ['SERVICE_TOKEN: is required when EMAIL_SERVICE_URL is set (or EMAIL_SERVICE_TOKEN_FILE)']);
    assert.deepEqual(problems({ ...base, SERVICE_TOKEN: 'a-service-token-of-some-length' }), []);
    assert.deepEqual(problems({ ...base, EMAIL_SERVICE_TOKEN_FILE: '/var/run/secrets/tokens/email' }), []);
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
      EMAIL_SERVICE_URL: 'http://email:8080',
      CONSOLE_URL: 'https://console.example.com',
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
