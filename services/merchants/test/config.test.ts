import assert from 'node:assert/strict';
import { configProblems } from '@merchant-platform/common/testing/config-problems';
import { merchantsConfigSchema } from '../src/config.js';

const problems = (env: Record<string, string>) => configProblems(merchantsConfigSchema, env);

const JWKS_URL = 'http://auth:8080/auth/.well-known/jwks.json';

describe('merchants service configuration', () => {
  it('requires the database and auth’s internal address in production, and a credential for it', () => {
    assert.deepEqual(problems({ NODE_ENV: 'production', JWKS_URL }), [
      'DATABASE_URL: is required when NODE_ENV=production',
      'AUTH_INTERNAL_URL: is required when NODE_ENV=production',
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
    };
    const tokenFile = '/var/run/secrets/tokens/auth';
    assert.deepEqual(problems({ ...inCluster, SERVICE_AUTH: 'kubernetes', SERVICE_TOKEN_FILE: tokenFile }), [
      'SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS: must list at least one ServiceAccount when SERVICE_AUTH=kubernetes',
    ]);
    const allowed = { SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS: 'system:serviceaccount:platform:auth' };
    assert.deepEqual(problems({ ...inCluster, SERVICE_AUTH: 'kubernetes', SERVICE_TOKEN_FILE: tokenFile, ...allowed }), []);
  });

  it('takes the shared secret or a projected token file as the credential it presents to auth', () => {
    const base = { JWKS_URL, AUTH_INTERNAL_URL: 'http://auth:8080' };
    assert.deepEqual(problems({ ...base, SERVICE_TOKEN: 'a-service-token-of-some-length' }), []);
    assert.deepEqual(problems({ ...base, SERVICE_TOKEN_FILE: '/var/run/secrets/tokens/auth' }), []);
  });

  it('needs no credential without AUTH_INTERNAL_URL outside production', () => {
    assert.deepEqual(problems({ JWKS_URL }), []);
  });
});
