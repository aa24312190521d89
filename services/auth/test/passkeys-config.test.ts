import assert from 'node:assert/strict';
import { spawnNode } from '@merchant-platform/common/testing/processes';
import { configProblems } from '@merchant-platform/common/testing/config-problems';
import { authConfigSchema, loadAuthConfig } from '../src/config.js';
import { PRODUCTION_SECRETS } from './production-env.js';

const problems = (env: Record<string, string>) => configProblems(authConfigSchema, env).filter((p) => p.startsWith('WEBAUTHN_'));

/** Everything else production requires, so only the WebAuthn variables are in question. */
const PRODUCTION = PRODUCTION_SECRETS;

describe('WebAuthn configuration', () => {
  it('defaults to localhost and http://localhost:<PORT> outside production', () => {
    const config = loadAuthConfig({ PORT: '3000' });
    assert.equal(config.WEBAUTHN_RP_ID, 'localhost');
    assert.deepEqual(config.WEBAUTHN_ORIGINS, ['http://localhost:3000']);
    assert.equal(config.WEBAUTHN_RP_NAME, 'Merchant Platform');
  });

  it('requires the RP id and origins in production and accepts https origins on the RP id and its subdomains', () => {
    assert.deepEqual(problems(PRODUCTION), [
      'WEBAUTHN_RP_ID: is required when NODE_ENV=production',
      'WEBAUTHN_ORIGINS: is required when NODE_ENV=production',
    ]);
    const config = loadAuthConfig({
      ...PRODUCTION,
      WEBAUTHN_RP_ID: 'example.com',
      WEBAUTHN_ORIGINS: 'https://example.com, https://app.example.com:8443',
      WEBAUTHN_RP_NAME: 'Example',
    });
    assert.deepEqual(config.WEBAUTHN_ORIGINS, ['https://example.com', 'https://app.example.com:8443']);
    assert.equal(config.WEBAUTHN_RP_NAME, 'Example');
    assert.deepEqual(
      problems({ ...PRODUCTION, WEBAUTHN_RP_ID: 'localhost', WEBAUTHN_ORIGINS: 'http://localhost:8080' }),
      [],
      'localhost may stay http',
    );
  });

  it('refuses origins off the RP id, with a path, not http(s), or plain http in production, naming each', () => {
    assert.deepEqual(
      problems({
        ...PRODUCTION,
        WEBAUTHN_RP_ID: 'example.com',
        WEBAUTHN_ORIGINS: 'https://evil.com,https://notexample.com,https://app.example.com/login,ftp://example.com,http://app.example.com',
      }),
      [
        'WEBAUTHN_ORIGINS.0: must be on example.com or a subdomain of it (WEBAUTHN_RP_ID)',
        'WEBAUTHN_ORIGINS.1: must be on example.com or a subdomain of it (WEBAUTHN_RP_ID)',
        'WEBAUTHN_ORIGINS.2: must be an absolute http(s) origin such as https://app.example.com (no path, no trailing slash)',
        'WEBAUTHN_ORIGINS.3: must be an absolute http(s) origin such as https://app.example.com (no path, no trailing slash)',
        'WEBAUTHN_ORIGINS.4: must be https when NODE_ENV=production (except localhost)',
      ],
    );
    assert.deepEqual(problems({ WEBAUTHN_RP_ID: 'https://example.com' }), [
      'WEBAUTHN_RP_ID: must be a lower-case domain name without scheme, port or path',
    ]);
  });

  it('stops the auth process with exit code 78 and the configuration message', async () => {
    const auth = spawnNode(['services/auth/src/main.ts'], {
      WEBAUTHN_RP_ID: 'example.com',
      WEBAUTHN_ORIGINS: 'https://evil.com',
      PORT: '0',
    });
    assert.equal(await auth.exited, 78);
    assert.match(auth.output(), /Invalid configuration: WEBAUTHN_ORIGINS\.0: must be on example\.com or a subdomain of it/);
  });
});
