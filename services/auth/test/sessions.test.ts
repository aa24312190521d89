import { assertError } from '@merchant-platform/common/testing/http-server';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { startAuth, STRONG_PASSWORD, tally, type AuthHarness } from './support.js';

const claimsOf = (token: string) => jwt.decode(token) as jwt.JwtPayload & { sid: string; amr: string[]; auth_time: number };
const SESSION_KEYS = ['amr', 'created_at', 'current', 'id', 'ip', 'last_used_at', 'user_agent'];

describe('sessions: tokens v2 claims, listing and ending sessions', function () {
  this.timeout(60_000);
  let auth: AuthHarness;
  before(async () => {
    auth = await startAuth();
  });
  after(() => auth.close());

  const signInFrom = (email: string, userAgent: string) =>
    auth.call('POST', '/auth/token', { json: { email, password: STRONG_PASSWORD }, headers: { 'user-agent': userAgent } });

  describe('claims', () => {
    it('gives a password sign-in a new sid, amr ["pwd"] and auth_time of the sign-in', async () => {
      const before = Math.floor(Date.now() / 1000);
      const user = await auth.verifiedUser('claims-v2@example.com');
      const claims = claimsOf(user.access);
      assert.deepEqual(claims.amr, ['pwd']);
      assert.ok(claims.auth_time >= before && claims.auth_time <= claims.iat!, `auth_time ${claims.auth_time}`);
      assert.match(claims.sid, /^[0-9a-f-]{36}$/);
      const again = claimsOf((await auth.signIn('claims-v2@example.com')).body.access_token);
      assert.notEqual(again.sid, claims.sid);
    });

    it('keeps sid, amr and auth_time across a refresh', async () => {
      const user = await auth.verifiedUser('refresh-keeps@example.com');
      const first = claimsOf(user.access);
      // A sign-in of an earlier minute, so a refresh that re-stamped auth_time would show.
      await auth.db.sequelize.query('UPDATE refresh_tokens SET auth_time = ? WHERE family_id = ?', {
        replacements: [new Date(Date.now() - 120_000), first.sid],
      });
      const refreshed = await auth.call('POST', '/auth/refresh', { json: { refresh_token: user.refresh } });
      assert.equal(refreshed.status, 200);
      const second = claimsOf(refreshed.body.access_token);
      assert.equal(second.sid, first.sid);
      assert.deepEqual(second.amr, ['pwd']);
      assert.ok(second.auth_time <= first.auth_time - 119, `auth_time ${second.auth_time} is the stored sign-in time`);
      assert.notEqual(second.jti, first.jti);
    });

    it('accepts a v1 token without sid, amr and auth_time on bearer routes', async () => {
      const user = await auth.verifiedUser('v1-client@example.com');
      const { sid: _sid, amr: _amr, auth_time: _authTime, ...v1 } = claimsOf(user.access);
      const token = jwt.sign(v1, auth.keys.privateKey, { algorithm: 'RS256', keyid: auth.keys.kid });
      assert.equal((await auth.call('GET', '/auth/me', { token })).status, 200);
      assert.equal((await auth.call('GET', '/auth/sessions', { token })).status, 200);
    });
  });

  describe('GET /auth/sessions', () => {
    it('lists exactly the live sessions with where they came from, marking the current one', async () => {
      await auth.verifiedUser('lister@example.com');
      const laptop = await signInFrom('lister@example.com', 'Laptop/1.0');
      const phone = await signInFrom('lister@example.com', 'Phone/2.0');
      const gone = await signInFrom('lister@example.com', 'Gone/3.0');
      assert.equal((await auth.call('POST', '/auth/logout', { json: { refresh_token: gone.body.refresh_token } })).status, 204);
      // The verification sign-in's session stays live too; its refresh token was never used.
      const res = await auth.call('GET', '/auth/sessions', { token: laptop.body.access_token });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body), ['items']);
      const byAgent = new Map(res.body.items.map((s: { user_agent: string }) => [s.user_agent, s]));
      assert.ok(!byAgent.has('Gone/3.0'), 'a logged-out session is not listed');
      const current = byAgent.get('Laptop/1.0') as Record<string, unknown>;
      assert.deepEqual(Object.keys(current).sort(), SESSION_KEYS);
      assert.equal(current.id, claimsOf(laptop.body.access_token).sid);
      assert.equal(current.current, true);
      assert.deepEqual(current.amr, ['pwd']);
      assert.match(String(current.ip), /127\.0\.0\.1|::1/);
      assert.equal((byAgent.get('Phone/2.0') as Record<string, unknown>).current, false);
      assert.equal((byAgent.get('Phone/2.0') as Record<string, unknown>).id, claimsOf(phone.body.access_token).sid);
      assert.equal(res.body.items.filter((s: { current: boolean }) => s.current).length, 1);
      const others = await auth.call('GET', '/auth/sessions', { token: (await auth.verifiedUser('stranger@example.com')).access });
      assert.ok(!others.body.items.some((s: { id: string }) => s.id === current.id), "another user's sessions are not listed");
    });

    it('moves last_used_at at a refresh and keeps created_at', async () => {
      await auth.verifiedUser('used@example.com');
      const signedIn = await signInFrom('used@example.com', 'Refresher/1.0');
      const sid = claimsOf(signedIn.body.access_token).sid;
      await auth.db.sequelize.query('UPDATE refresh_tokens SET created_at = ?, session_started_at = ? WHERE family_id = ?', {
        replacements: [new Date(Date.now() - 60_000), new Date(Date.now() - 60_000), sid],
      });
      const refreshed = await auth.call('POST', '/auth/refresh', { json: { refresh_token: signedIn.body.refresh_token } });
      const list = await auth.call('GET', '/auth/sessions', { token: refreshed.body.access_token });
      const session = list.body.items.find((s: { id: string }) => s.id === sid);
      assert.ok(Date.parse(session.last_used_at) - Date.parse(session.created_at) >= 59_000, JSON.stringify(session));
      assert.equal(session.user_agent, 'Refresher/1.0', 'where the sign-in came from, not the refresh');
    });
  });

  describe('DELETE /auth/sessions/{id}', () => {
    it("ends that session's refresh and access tokens at once and leaves the others working", async () => {
      await auth.verifiedUser('ender@example.com');
      const keep = await auth.signIn('ender@example.com');
      const end = await auth.signIn('ender@example.com');
      const sid = claimsOf(end.body.access_token).sid;
      assert.equal((await auth.call('DELETE', `/auth/sessions/${sid}`, { token: keep.body.access_token })).status, 204);
      const me = await auth.call('GET', '/auth/me', { token: end.body.access_token });
      assert.equal(me.status, 401);
      assert.equal(me.body.error.code, 'invalid_token');
      assert.equal((await auth.call('POST', '/auth/refresh', { json: { refresh_token: end.body.refresh_token } })).status, 401);
      assert.equal((await auth.call('GET', '/auth/me', { token: keep.body.access_token })).status, 200);
      const list = await auth.call('GET', '/auth/sessions', { token: keep.body.access_token });
      assert.ok(!list.body.items.some((s: { id: string }) => s.id === sid));
    });

    it("answers 404 for another user's session, an unknown id and an ended session", async () => {
      const owner = await auth.verifiedUser('owner-of-session@example.com');
      const other = await auth.verifiedUser('prober@example.com');
      const sid = claimsOf(owner.access).sid;
      const foreign = await auth.call('DELETE', `/auth/sessions/${sid}`, { token: other.access });
      assert.equal(foreign.status, 404);
      assert.equal(foreign.body.error.code, 'not_found');
      assert.equal((await auth.call('GET', '/auth/me', { token: owner.access })).status, 200, 'nothing happened to it');
      assertError(
        await auth.call('DELETE', '/auth/sessions/00000000-0000-0000-0000-000000000000', { token: other.access }),
        404,
        'not_found',
      );
      const mine = claimsOf(other.access).sid;
      const fresh = await auth.signIn('prober@example.com');
      assert.equal((await auth.call('DELETE', `/auth/sessions/${mine}`, { token: fresh.body.access_token })).status, 204);
      assertError(await auth.call('DELETE', `/auth/sessions/${mine}`, { token: fresh.body.access_token }), 404, 'not_found');
    });

    it('ends a session once when ten requests to end it arrive at once', async () => {
      await auth.verifiedUser('racer@example.com');
      const keep = await auth.signIn('racer@example.com');
      const sid = claimsOf((await auth.signIn('racer@example.com')).body.access_token).sid;
      const results = await Promise.all(
        Array.from({ length: 10 }, () => auth.call('DELETE', `/auth/sessions/${sid}`, { token: keep.body.access_token })),
      );
      assert.deepEqual(tally(results.map((r) => r.status)), { 204: 1, 404: 9 });
    });

    it('refuses every refresh of a session ended while refreshes race with the ending', async () => {
      await auth.verifiedUser('refresh-race@example.com');
      const keep = await auth.signIn('refresh-race@example.com');
      const target = await auth.signIn('refresh-race@example.com');
      const sid = claimsOf(target.body.access_token).sid;
      const [ended, refreshed] = await Promise.all([
        auth.call('DELETE', `/auth/sessions/${sid}`, { token: keep.body.access_token }),
        auth.call('POST', '/auth/refresh', { json: { refresh_token: target.body.refresh_token } }),
      ]);
      assert.equal(ended.status, 204);
      // Whichever came first, nothing the refresh handed out works afterwards.
      if (refreshed.status === 200) {
        assert.equal((await auth.call('GET', '/auth/me', { token: refreshed.body.access_token })).status, 401);
        assert.equal((await auth.call('POST', '/auth/refresh', { json: { refresh_token: refreshed.body.refresh_token } })).status, 401);
      }
    });

    it('validates the id: an over-long one is 422 with details', async () => {
      const user = await auth.verifiedUser('long-id@example.com');
      const res = await auth.call('DELETE', `/auth/sessions/${'a'.repeat(65)}`, { token: user.access });
      assert.equal(res.status, 422);
      assert.equal(res.body.error.details[0].path, 'path.id');
    });
  });

  describe('account events end sessions', () => {
    it('logout-all ends every session, access tokens included, and a sign-in right after works', async () => {
      const user = await auth.verifiedUser('everywhere@example.com');
      const second = await auth.signIn('everywhere@example.com');
      assert.equal((await auth.call('POST', '/auth/logout-all', { token: user.access })).status, 204);
      for (const token of [user.access, second.body.access_token])
        assert.equal((await auth.call('GET', '/auth/me', { token })).status, 401);
      assert.equal((await auth.call('POST', '/auth/refresh', { json: { refresh_token: second.body.refresh_token } })).status, 401);
      const again = await auth.signIn('everywhere@example.com');
      assert.equal((await auth.call('GET', '/auth/me', { token: again.body.access_token })).status, 200);
    });

    it('a password reset ends every session, access tokens included', async () => {
      const user = await auth.verifiedUser('resetter@example.com');
      assert.equal((await auth.call('POST', '/auth/password/forgot', { json: { email: 'resetter@example.com' } })).status, 202);
      const code = await auth.inbox.waitForCode('resetter@example.com', 'password_reset');
      const NEW = 'Another-Horse2!';
      const reset = await auth.call('POST', '/auth/password/reset', {
        json: { email: 'resetter@example.com', code, password: NEW, confirm_password: NEW },
      });
      assert.equal(reset.status, 204);
      const me = await auth.call('GET', '/auth/me', { token: user.access });
      assert.equal(me.status, 401);
      assert.equal(me.body.error.code, 'invalid_token');
      const fresh = await auth.signIn('resetter@example.com', NEW);
      assert.equal((await auth.call('GET', '/auth/me', { token: fresh.body.access_token })).status, 200);
    });
  });
});
