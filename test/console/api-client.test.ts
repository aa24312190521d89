import assert from 'node:assert/strict';
import { ApiClient } from '@merchant-platform/console/api-client/api-client';
import { ApiError } from '@merchant-platform/console/api-client/api-error';
import { fetchTransport } from '@merchant-platform/console/api-client/transport';
import { SessionRefreshLeases } from '@merchant-platform/console/data/refresh-lease';
import { TokenRefresher, type TokenPair } from '@merchant-platform/console/http/token-refresher';
import { PASSWORD } from './support/flows.js';
import { startPlatform, type RunningPlatform } from './support/platform.js';

/**
 * The console's API client over real HTTP (the transport Kubernetes uses; the browser suites use
 * the in-process one), and the one-refresh-per-token rule under concurrent requests.
 */
describe('console API client over HTTP and its shared refresh', function () {
  this.timeout(60_000);
  // The platform's APIs, reached over loopback HTTP through the all-in-one front (it passes API paths on).
  const running: { platform?: RunningPlatform } = {};
  let api: ApiClient;
  before(async () => {
    running.platform = await startPlatform();
    api = new ApiClient(fetchTransport(running.platform.base));
  });
  after(async () => running.platform?.stop());

  const signedIn = async (email: string): Promise<TokenPair> => {
    await api.post('/auth/register', {
      json: { email, password: PASSWORD, confirm_password: PASSWORD, first_name: 'Api', last_name: 'Client' },
    });
    return api.post<TokenPair>('/auth/token', { json: { email, password: PASSWORD } });
  };

  it("answers the API's JSON, and throws the contract's error with its code and field details", async () => {
    const pair = await signedIn('client@example.com');
    const me = await api.get<{ user: { email: string } }>('/auth/me', { token: pair.access_token });
    assert.equal(me.user.email, 'client@example.com');

    const refused = await api
      .post('/auth/register', { json: { email: 'not-an-email', password: 'x', confirm_password: 'y', first_name: '', last_name: '' } })
      .catch((error: unknown) => error);
    assert.ok(refused instanceof ApiError);
    assert.equal(refused.status, 422);
    assert.equal(refused.code, 'validation_failed');
    assert.ok(refused.details.some((d) => d.path === 'email'));

    const wrong = await api
      .post('/auth/token', { json: { email: 'client@example.com', password: 'Wrong-Pass1!' } })
      .catch((e: unknown) => e);
    assert.ok(wrong instanceof ApiError && wrong.code === 'invalid_credentials');
  });

  it('ten concurrent refreshes of one session in one process make one refresh: all get the same new pair and the session lives on', async () => {
    const pair = await signedIn('tabs@example.com');
    const refresher = new TokenRefresher(api, new SessionRefreshLeases(running.platform!.db.sequelize));
    // No session row: the in-process sharing alone (the lease across replicas is tested in refresh-across-replicas).
    const results = await Promise.all(Array.from({ length: 10 }, () => refresher.refresh(undefined, pair.refresh_token, {})));
    assert.equal(new Set(results.map((r) => r.refresh)).size, 1, 'one new refresh token for all');
    assert.notEqual(results[0]!.refresh, pair.refresh_token);
    const me = await api.get<{ user: { email: string } }>('/auth/me', { token: results[0]!.access });
    assert.equal(me.user.email, 'tabs@example.com');
    // The rotated token still works once: the family was never flagged as reused.
    const next = await api.post<TokenPair>('/auth/refresh', { json: { refresh_token: results[0]!.refresh } });
    assert.ok(next.access_token);
  });

  it('without the shared refresh, two racing refreshes of one token end the session (what the refresher prevents)', async () => {
    const pair = await signedIn('race@example.com');
    const outcomes = await Promise.allSettled(
      [1, 2].map(() => api.post<TokenPair>('/auth/refresh', { json: { refresh_token: pair.refresh_token } })),
    );
    const failures = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason as ApiError);
    assert.ok(failures.length >= 1, 'a second use of one refresh token is refused');
    assert.ok(failures.some((f) => f.code === 'token_reused'));
  });
});
