import assert from 'node:assert/strict';
import { configProblems } from '@merchant-platform/common/testing/config-problems';
import { merchantsConfigSchema } from '../src/config.js';

const problems = (env: Record<string, string>) => configProblems(merchantsConfigSchema, env);

const JWKS_URL = 'http://auth:8080/auth/.well-known/jwks.json';

describe('merchants service configuration', () => {
  it('requires the database, auth’s and email’s addresses and the console’s in production, and a credential for them', () => {
    assert.deepEqual(problems({ NODE_ENV: 'production', JWKS_URL }), [
      'DATABASE_URL: is required when NODE_ENV=production',
      'AUTH_INTERNAL_URL: is required when NODE_ENV=production',
      'EMAIL_SERVICE_URL: is required when NODE_ENV=production',
      'CONSOLE_URL: is required when NODE_ENV=production',
    ]);
    assert.deepEqual(
      problems({
        NODE_ENV: 'production',
        JWKS_URL,
        DATABASE_URL: 'mysql://u:p@db:3306/merchants',
        AUTH_INTERNAL_URL: 'http://auth:8080',
        EMAIL_SERVICE_URL: 'http://email:8080',
        CONSOLE_URL: 'https://console.example.com',
      }),
      ['SERVICE_TOKEN: is required when AUTH_INTERNAL_URL is set (or SERVICE_TOKEN_FILE)'],
    );
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
});
