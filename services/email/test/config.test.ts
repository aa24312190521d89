import assert from 'node:assert/strict';
import { configProblems } from '@merchant-platform/common/testing/config-problems';
import { emailConfigSchema, loadEmailConfig } from '../src/config.js';

const problems = (env: Record<string, string>) => configProblems(emailConfigSchema, env);

describe('email service configuration', () => {
  it('has working defaults outside production: the log transport and a local sender', () => {
    const config = loadEmailConfig({});
    assert.deepEqual(
      {
        SERVICE_AUTH: config.SERVICE_AUTH,
        SERVICE_AUTH_AUDIENCE: config.SERVICE_AUTH_AUDIENCE,
        EMAIL_TRANSPORT: config.EMAIL_TRANSPORT,
        EMAIL_FROM: config.EMAIL_FROM,
        EMAIL_MAX_ATTEMPTS: config.EMAIL_MAX_ATTEMPTS,
        EMAIL_BATCH_SIZE: config.EMAIL_BATCH_SIZE,
        EMAIL_POLL_INTERVAL_MS: config.EMAIL_POLL_INTERVAL_MS,
        EMAIL_SEND_RATE_PER_SECOND: config.EMAIL_SEND_RATE_PER_SECOND,
        EMAIL_RETRY_BASE_MS: config.EMAIL_RETRY_BASE_MS,
        EMAIL_RETRY_MAX_MS: config.EMAIL_RETRY_MAX_MS,
        EMAIL_LEASE_SECONDS: config.EMAIL_LEASE_SECONDS,
        SES_TIMEOUT_MS: config.SES_TIMEOUT_MS,
      },
      {
        SERVICE_AUTH: 'token',
        SERVICE_AUTH_AUDIENCE: 'email',
        EMAIL_TRANSPORT: 'log',
        EMAIL_FROM: 'no-reply@localhost',
        EMAIL_MAX_ATTEMPTS: 8,
        EMAIL_BATCH_SIZE: 10,
        EMAIL_POLL_INTERVAL_MS: 1000,
        EMAIL_SEND_RATE_PER_SECOND: 10,
        EMAIL_RETRY_BASE_MS: 2000,
        EMAIL_RETRY_MAX_MS: 300_000,
        EMAIL_LEASE_SECONDS: 60,
        SES_TIMEOUT_MS: 10_000,
      },
    );
  });

  it('requires the database and the shared secret in production, naming both at once', () => {
    assert.deepEqual(problems({ NODE_ENV: 'production' }), [
      'DATABASE_URL: is required when NODE_ENV=production',
      'SERVICE_TOKEN: is required when NODE_ENV=production and SERVICE_AUTH=token',
    ]);
  });

  it('needs no shared secret in kubernetes mode, but an allow-list of ServiceAccounts', () => {
    assert.deepEqual(problems({ NODE_ENV: 'production', DATABASE_URL: 'mysql://u:p@db:3306/email', SERVICE_AUTH: 'kubernetes' }), [
      'SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS: must list at least one ServiceAccount when SERVICE_AUTH=kubernetes',
    ]);
    const config = loadEmailConfig({
      SERVICE_AUTH: 'kubernetes',
      SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS: 'system:serviceaccount:platform:auth, system:serviceaccount:jobs:mailer',
    });
    assert.deepEqual(config.SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS, [
      'system:serviceaccount:platform:auth',
      'system:serviceaccount:jobs:mailer',
    ]);
    assert.deepEqual(problems({ SERVICE_AUTH: 'kubernetes', SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS: 'auth' }), [
      'SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS.0: must be system:serviceaccount:<namespace>:<name>',
    ]);
  });

  it('requires AWS_REGION for SES, and a lease longer than two SES timeouts', () => {
    assert.deepEqual(problems({ EMAIL_TRANSPORT: 'ses', EMAIL_LEASE_SECONDS: '10', SES_TIMEOUT_MS: '5000' }), [
      'AWS_REGION: is required when EMAIL_TRANSPORT=ses',
      'EMAIL_LEASE_SECONDS: must be more than twice SES_TIMEOUT_MS, or a slow send could outlive its lease and be sent twice',
    ]);
  });

  it('refuses a short shared secret and a sender with control characters', () => {
    assert.deepEqual(
      problems({ SERVICE_TOKEN: 'short', EMAIL_FROM: 'a@b\nBcc: x@y' }).map((p) => p.split(':')[0]),
      ['SERVICE_TOKEN', 'EMAIL_FROM'],
    );
  });
});
