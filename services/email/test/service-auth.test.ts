import assert from 'node:assert/strict';
import { request } from '@merchant-platform/common/testing/http-server';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { createTestTokens } from '@merchant-platform/common/testing/test-tokens';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { TokenReviewAuthenticator } from '@merchant-platform/common/service-auth/kubernetes-token-review';
import { FakeKubernetesApi } from '@merchant-platform/common/testing/fake-kubernetes-api';
import { startEmailService, type RunningEmailService } from './support/email-service.js';

const AUTH_SA = 'system:serviceaccount:platform:auth';
const OTHER_SA = 'system:serviceaccount:platform:merchants';

describe('service authentication with Kubernetes TokenReview (against a fake API server)', () => {
  let testDb: TestDatabase;
  let kube: FakeKubernetesApi;
  let service: RunningEmailService;
  const welcome = { to: 'ada@example.com', template: 'welcome', data: { name: 'Ada' } };

  before(async () => {
    testDb = await createTestDatabase();
    kube = await FakeKubernetesApi.start();
    const authenticator = new TokenReviewAuthenticator(
      kube.client(),
      { audience: 'email', allowedServiceAccounts: [AUTH_SA], cacheTtlMs: 60_000 },
      captureLogs().logger,
    );
    service = await startEmailService({
      databaseUrl: testDb.url,
      env: { EMAIL_TRANSPORT: 'log', SERVICE_AUTH: 'kubernetes', SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS: AUTH_SA },
      authenticator,
    });
  });
  after(async () => {
    await service?.close();
    await kube?.close();
    await testDb?.drop();
  });

  it('accepts an allow-listed ServiceAccount’s token minted for the email audience, and records it as the caller', async () => {
    const token = kube.issue('projected-auth-token', AUTH_SA, ['email']);
    const res = await request(service.url, 'POST', '/emails', { token, json: { ...welcome, idempotency_key: 'k8s-1' } });
    assert.equal(res.status, 202, res.text);
    assert.deepEqual(kube.reviews.at(-1), { token, audiences: ['email'] });
    const [rows] = await service.db.sequelize.query('SELECT caller FROM email_outbox WHERE id = ?', { replacements: [res.body.id] });
    assert.deepEqual(rows, [{ caller: AUTH_SA }]);
    const read = await request(service.url, 'GET', `/emails/${res.body.id}`, { token });
    assert.equal(read.status, 200);
  });

  it('reuses a positive review for a while instead of asking the API server on every call', async () => {
    const token = kube.issue('projected-auth-token-2', AUTH_SA, ['email']);
    const before = kube.reviews.length;
    for (let i = 0; i < 3; i++) assert.equal((await request(service.url, 'POST', '/emails', { token, json: welcome })).status, 202);
    assert.equal(kube.reviews.length - before, 1);
  });

  it('refuses a token minted for another audience with 401 invalid_token', async () => {
    const token = kube.issue('projected-wrong-audience', AUTH_SA, ['https://kubernetes.default.svc']);
    const res = await request(service.url, 'POST', '/emails', { token, json: welcome });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: { code: 'invalid_token', message: 'The service credential is not valid.' } });
  });

  it('refuses a valid ServiceAccount that is not on the allow-list with 403 forbidden', async () => {
    const token = kube.issue('projected-merchants-token', OTHER_SA, ['email']);
    const res = await request(service.url, 'POST', '/emails', { token, json: welcome });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, { error: { code: 'forbidden', message: 'This service account may not call this service.' } });
  });

  it('refuses a user’s RS256 access token and an unknown token with 401 invalid_token', async () => {
    for (const token of [createTestTokens().sign({ roles: ['admin'] }), 'not-a-token']) {
      const res = await request(service.url, 'POST', '/emails', { token, json: welcome });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'invalid_token');
    }
  });

  it('answers 401 unauthenticated without a credential, before asking the API server', async () => {
    const before = kube.reviews.length;
    const res = await request(service.url, 'POST', '/emails', { json: welcome });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'unauthenticated');
    assert.equal(kube.reviews.length, before);
  });

  it('answers 503 unavailable when the API server cannot be reached', async () => {
    const gone = await FakeKubernetesApi.start();
    const client = gone.client();
    await gone.close();
    const unreachable = new TokenReviewAuthenticator(
      client,
      { audience: 'email', allowedServiceAccounts: [AUTH_SA] },
      captureLogs().logger,
    );
    await assert.rejects(
      unreachable.authenticate('projected-auth-token'),
      (e: { status?: number; code?: string }) => e.status === 503 && e.code === 'unavailable',
    );
  });
});
