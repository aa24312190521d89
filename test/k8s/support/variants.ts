import { generateKeyPairSync } from 'node:crypto';

/** A signing key made once per run: rendering with it skips Helm's slow 4096-bit key generation. */
export const testSigningKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

export const KUBE_VERSIONS = ['1.29.0', '1.30.0', '1.31.0', '1.32.0', '1.33.0', '1.34.0', '1.35.0'];

/** The value variants every structural check runs over. */
export const VARIANTS: Record<string, Record<string, unknown>> = {
  defaults: {},
  'external database': {
    mysql: { enabled: false },
    externalDatabase: { host: 'db.example.internal', password: 'external-pass', cidr: '10.20.0.0/16' },
  },
  'external database with an existing secret': {
    mysql: { enabled: false },
    externalDatabase: { host: 'db.example.internal', existingSecret: 'db-credentials', existingSecretPasswordKey: 'password' },
    secrets: { existingSecret: 'platform-secrets' },
  },
  TLS: { ingress: { hosts: ['api.example.com'], tls: [{ secretName: 'api-tls', hosts: ['api.example.com'] }] } },
  'autoscaling off': {
    services: Object.fromEntries(
      ['auth', 'merchants', 'email', 'console'].map((s) => [s, { autoscaling: { enabled: false }, replicaCount: 3 }]),
    ),
  },
  'network policies off': { networkPolicy: { enabled: false } },
  'monitoring on': {
    metrics: { serviceMonitor: { enabled: true }, prometheusRule: { enabled: true }, dashboard: { enabled: true } },
    tracing: { enabled: true, otlpEndpoint: 'http://otel-collector.observability:4318' },
  },
  'Google sign-in and kubernetes service auth': {
    auth: { google: { clientId: 'client.apps.googleusercontent.com', redirectUri: 'https://api.example.com/auth/google/callback' } },
    secrets: { googleClientSecret: 'google-secret' },
    serviceAuth: { mode: 'kubernetes' },
    networkPolicy: { kubernetesApi: { cidr: '172.18.0.2/32' } },
  },
};

/**
 * Explicit secrets for a render: `helm template` cannot read a cluster, so the chart refuses to
 * generate secrets there. Test-only values, made per run (never committed).
 */
export const TEST_SECRETS = {
  jwtPrivateKey: testSigningKey,
  sessionKeys: 'test-session-key-one-of-enough-length,test-session-key-two-of-enough-length',
  serviceToken: 'test-service-token-of-at-least-32-characters',
  passwordPepper: 'test-password-pepper-of-at-least-32-characters',
  webhookSecretKey: 'test-webhook-secret-key-of-at-least-32-characters',
};
export const TEST_MYSQL_PASSWORDS = { rootPassword: 'test-mysql-root-password', password: 'test-mysql-password' };

/** A variant with the test secrets added where it brings no Secret of its own (the platform's, and the bundled MySQL's). */
export function withSecrets(values: Record<string, unknown>): Record<string, unknown> {
  const secrets = (values.secrets ?? {}) as Record<string, unknown>;
  const mysql = (values.mysql ?? {}) as { enabled?: boolean; auth?: Record<string, unknown> };
  return {
    ...values,
    secrets: secrets.existingSecret ? secrets : { ...TEST_SECRETS, ...secrets },
    mysql: mysql.enabled === false || mysql.auth?.existingSecret ? mysql : { ...mysql, auth: { ...TEST_MYSQL_PASSWORDS, ...mysql.auth } },
  };
}
