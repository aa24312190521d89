import assert from 'node:assert/strict';
import { loadConfig } from '@merchant-platform/common/config';
import { configProblems } from '@merchant-platform/common/testing/config-problems';
import { allInOneConfigSchema } from '../src/config.js';

const problems = (env: Record<string, string>) => configProblems(allInOneConfigSchema, env);

const RELYING_PARTY = { WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://app.example.com' };

describe('all-in-one configuration', () => {
  it('generates no secret in production: it names each one it would have generated', () => {
    assert.deepEqual(problems({ NODE_ENV: 'production', ...RELYING_PARTY }), [
      'SERVICE_TOKEN: is required when NODE_ENV=production and SERVICE_AUTH=token',
      'JWT_PRIVATE_KEY: is required when NODE_ENV=production (or JWT_PRIVATE_KEY_FILE)',
      'SESSION_KEYS: is required when NODE_ENV=production',
      'PASSWORD_PEPPER: is required when NODE_ENV=production',
      'WEBHOOK_SECRET_KEY: is required when NODE_ENV=production',
    ]);
  });

  it('starts in production with every secret given, the signing key from a file, on its own SQLite file', () => {
    const config = loadConfig(allInOneConfigSchema, {
      NODE_ENV: 'production',
      ...RELYING_PARTY,
      JWT_PRIVATE_KEY_FILE: '/run/secrets/jwt.pem',
      SESSION_KEYS: 'k',
      SERVICE_TOKEN: 'a-service-token-of-some-length',
      PASSWORD_PEPPER: 'a-test-pepper-of-at-least-32-characters',
      WEBHOOK_SECRET_KEY: 'a-webhook-secret-key-of-32-characters-or-more',
      DATA_DIR: '/data',
    });
    assert.equal(config.DATABASE_URL, 'sqlite:/data/platform.sqlite');
  });

  it('asks for no secret outside production: it generates them under DATA_DIR', () => {
    assert.deepEqual(problems({}), []);
  });
});
