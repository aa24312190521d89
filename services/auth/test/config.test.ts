import assert from 'node:assert/strict';
import { configProblems } from '@merchant-platform/common/testing/config-problems';
import { authConfigSchema } from '../src/config.js';
import { PRODUCTION_SECRETS } from './production-env.js';

const problems = (env: Record<string, string>) => configProblems(authConfigSchema, env);

/** Everything production requires of auth. */
const PRODUCTION = { ...PRODUCTION_SECRETS, WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://app.example.com' };

const without = (...names: (keyof typeof PRODUCTION)[]) =>
  Object.fromEntries(Object.entries(PRODUCTION).filter(([name]) => !names.includes(name as keyof typeof PRODUCTION)));

describe('auth service configuration', () => {
  it('starts in production with every secret given', () => {
    assert.deepEqual(problems(PRODUCTION), []);
  });

  it('names every missing production secret at once, with the file alternative where there is one', () => {
    assert.deepEqual(problems({ NODE_ENV: 'production' }), [
      'DATABASE_URL: is required when NODE_ENV=production',
      'SESSION_KEYS: is required when NODE_ENV=production',
      'EMAIL_SERVICE_URL: is required when NODE_ENV=production',
      'MERCHANTS_SERVICE_URL: is required when NODE_ENV=production',
      'PASSWORD_PEPPER: is required when NODE_ENV=production',
      'JWT_PRIVATE_KEY: is required when NODE_ENV=production (or JWT_PRIVATE_KEY_FILE)',
      'SERVICE_TOKEN: is required when NODE_ENV=production and SERVICE_AUTH=token',
      'WEBAUTHN_RP_ID: is required when NODE_ENV=production',
      'WEBAUTHN_ORIGINS: is required when NODE_ENV=production',
    ]);
  });

  it('takes the signing key from a mounted file instead', () => {
    assert.deepEqual(problems({ ...without('JWT_PRIVATE_KEY'), JWT_PRIVATE_KEY_FILE: '/run/secrets/jwt.pem' }), []);
  });

  it('in kubernetes mode needs a credential to present to email: SERVICE_TOKEN or a projected token file', () => {
    const kubernetes = {
      ...without('SERVICE_TOKEN'),
      SERVICE_AUTH: 'kubernetes',
      SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS: 'system:serviceaccount:platform:merchants',
    };
    assert.deepEqual(problems(kubernetes), ['SERVICE_TOKEN: is required when NODE_ENV=production (or SERVICE_TOKEN_FILE)']);
    // One projected token per audience: email's cannot be shown to merchants.
    assert.deepEqual(problems({ ...kubernetes, SERVICE_TOKEN_FILE: '/var/run/secrets/tokens/email' }), [
      'MERCHANTS_SERVICE_TOKEN_FILE: is required when SERVICE_TOKEN_FILE and MERCHANTS_SERVICE_URL are set (or SERVICE_TOKEN)',
    ]);
    const tokenFiles = {
      SERVICE_TOKEN_FILE: '/var/run/secrets/tokens/email',
      MERCHANTS_SERVICE_TOKEN_FILE: '/var/run/secrets/tokens/merchants',
    };
    assert.deepEqual(problems({ ...kubernetes, ...tokenFiles }), []);
  });

  it('in token mode needs the shared secret itself, which a token file cannot stand in for', () => {
    assert.deepEqual(problems({ ...without('SERVICE_TOKEN'), SERVICE_TOKEN_FILE: '/var/run/secrets/tokens/email' }), [
      'SERVICE_TOKEN: is required when NODE_ENV=production and SERVICE_AUTH=token',
      'MERCHANTS_SERVICE_TOKEN_FILE: is required when SERVICE_TOKEN_FILE and MERCHANTS_SERVICE_URL are set (or SERVICE_TOKEN)',
    ]);
  });

  it('asks for no secret outside production', () => {
    assert.deepEqual(problems({}), []);
  });
});
