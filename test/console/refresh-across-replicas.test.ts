import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient } from '@merchant-platform/console/api-client/api-client';
import { inProcessTransport, type Transport } from '@merchant-platform/console/api-client/transport';
import { createConsoleApp } from '@merchant-platform/console/app';
import { SequelizeSessionStore } from '@merchant-platform/console/data/session-store';
import { createLogger } from '@merchant-platform/common/logger';
import { PASSWORD } from './support/flows.js';
import { startPlatform, type RunningPlatform } from './support/platform.js';

/**
 * Two console replicas (two apps, each with its own in-memory refresher and session store) in
 * front of one platform and one database, over real loopback HTTP: one browser session whose
 * access token went stale is refreshed once, whichever replicas its requests reach at once.
 */
describe('console refresh across replicas', function () {
  this.timeout(60_000);
  let platform: RunningPlatform;
  const servers: Server[] = [];
  /** Every /auth/refresh any replica sent, in order. */
  const refreshes: string[] = [];
  const replicas: string[] = [];

  const counted =
    (transport: Transport, name: string): Transport =>
    (request) => {
      if (request.path === '/auth/refresh') refreshes.push(name);
      return transport(request);
    };

  before(async () => {
    platform = await startPlatform();
    for (const name of ['replica-a', 'replica-b']) {
      const app = createConsoleApp({
        api: new ApiClient(counted(inProcessTransport(platform.apis.callback()), name)),
        db: platform.db,
        logger: createLogger({ level: 'silent' }),
        brand: { productName: 'Acme Merchants', logoUrl: undefined, accentColor: '#7a2e8c' },
        features: { invitations: true, google: false },
        sessionKeys: ['console-test-session-key'],
        secureCookies: false,
        trustProxy: false,
      });
      const server = app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => server.once('listening', resolve));
      servers.push(server);
      replicas.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }
  });
  after(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await platform?.stop();
  });

  /** Signs in through replica A's form as a browser would; answers the cookie header the browser then sends. */
  const signInThroughA = async (email: string): Promise<string> => {
    const api = new ApiClient(inProcessTransport(platform.apis.callback()));
    await api.post('/auth/register', {
      json: { email, password: PASSWORD, confirm_password: PASSWORD, first_name: 'Rae', last_name: 'Plica' },
    });
    const form = await fetch(`${replicas[0]}/sign-in`);
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(await form.text())![1]!;
    const signedIn = await fetch(`${replicas[0]}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(form) },
      body: new URLSearchParams({ _csrf: csrf, email, password: PASSWORD, next: '/account' }),
      redirect: 'manual',
    });
    assert.equal(signedIn.status, 302);
    assert.equal(signedIn.headers.get('location'), '/account');
    return cookiesOf(signedIn);
  };

  const sessionRow = async () => {
    const [rows] = await platform.db.sequelize.query('SELECT id, data FROM console_sessions');
    const found = (rows as { id: string; data: string }[]).filter((r) => JSON.parse(r.data).tokens);
    assert.equal(found.length, 1, 'one signed-in session');
    return { id: found[0]!.id, data: JSON.parse(found[0]!.data) as { tokens: { refresh: string; accessExpiresAt: number } } };
  };

  it('concurrent requests on two replicas that each need a refresh keep the session, and auth sees one refresh', async () => {
    const cookie = await signInThroughA('replicas@example.com');
    const before = await sessionRow();
    // The access token is stale as far as both replicas are concerned: every request must refresh.
    const stale = { ...before.data, tokens: { ...before.data.tokens, accessExpiresAt: 0 } };
    await platform.db.sequelize.query('UPDATE console_sessions SET data = ? WHERE id = ?', {
      replacements: [JSON.stringify(stale), before.id],
    });
    refreshes.length = 0;

    const pages = await Promise.all(
      Array.from({ length: 8 }, (_, i) => fetch(`${replicas[i % 2]}/account`, { headers: { cookie }, redirect: 'manual' })),
    );
    assert.deepEqual(
      pages.map((p) => p.status),
      Array(8).fill(200),
      'every request was served, none sent to sign in',
    );
    assert.equal(refreshes.length, 1, `auth saw one refresh, from ${refreshes.join(', ')}`);

    const after = await sessionRow();
    assert.notEqual(after.data.tokens.refresh, before.data.tokens.refresh, 'the row holds the new pair');
    assert.ok(after.data.tokens.accessExpiresAt > Date.now());
    // The session lives on in both replicas: the next page needs no refresh and no sign-in.
    for (const replica of replicas) {
      const page = await fetch(`${replica}/account`, { headers: { cookie }, redirect: 'manual' });
      assert.equal(page.status, 200);
    }
    assert.equal(refreshes.length, 1);
  });

  it('a request that read the session before another replica refreshed it saves its changes but never the spent pair', async () => {
    const store = new SequelizeSessionStore(platform.db.sequelize);
    const spent = { access: 'old-access', refresh: 'old-refresh', accessExpiresAt: Date.now() - 1_000 };
    const current = { access: 'new-access', refresh: 'new-refresh', accessExpiresAt: Date.now() + 900_000 };
    await store.set('late-writer', { tokens: current }, 60_000);
    await store.set('late-writer', { tokens: spent, flash: 'Saved.' }, 60_000);
    assert.deepEqual(await store.get('late-writer'), { tokens: current, flash: 'Saved.' });
    // A newer pair (a sign-in, a later refresh) still replaces an older one.
    const later = { ...current, refresh: 'later-refresh', accessExpiresAt: current.accessExpiresAt + 60_000 };
    await store.set('late-writer', { tokens: later }, 60_000);
    assert.deepEqual(await store.get('late-writer'), { tokens: later });
  });
});

/** The cookies a response set, as the `Cookie` header the browser sends next. */
function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
}
