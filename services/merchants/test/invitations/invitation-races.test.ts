import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { assertError } from '@merchant-platform/common/testing/http-server';
import { invitationsStage } from './invitations-harness.js';

const ROUNDS = 5;

describe('merchant invitations under concurrency', function () {
  this.timeout(60_000);
  const stage = invitationsStage({ invitationRatePerHour: 4 });

  async function count(sql: string, replacements: unknown[]): Promise<number> {
    const [rows] = await stage.db.sequelize.query(sql, { replacements });
    return Number((rows as { n: number | string }[])[0]!.n);
  }

  it('makes exactly one membership when three accepts of one token race', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const owner = stage.person();
      const merchantId = await stage.merchantOwnedBy(owner);
      const invitee = stage.person();
      assert.equal((await stage.invite(owner, merchantId, invitee.email, 'viewer')).status, 201);
      const token = await stage.tokenFromInbox(invitee.email);
      const answers = await Promise.all([stage.accept(invitee, token), stage.accept(invitee, token), stage.accept(invitee, token)]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 404, 404], `round ${round}`);
      for (const loser of answers.filter((a) => a.status !== 200)) assertError(loser, 404, 'not_found');
      const members = await count('SELECT COUNT(*) AS n FROM merchant_memberships WHERE merchant_id = ? AND user_id = ?', [
        merchantId,
        invitee.sub,
      ]);
      assert.equal(members, 1, `round ${round}`);
    }
  });

  it('creates one invitation when the same address is invited twice at once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const owner = stage.person();
      const merchantId = await stage.merchantOwnedBy(owner);
      const address = `${randomUUID()}@example.com`;
      const answers = await Promise.all([
        stage.invite(owner, merchantId, address, 'viewer'),
        stage.invite(owner, merchantId, address, 'developer'),
      ]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409], `round ${round}`);
      const rows = await count('SELECT COUNT(*) AS n FROM merchant_invitations WHERE merchant_id = ? AND email = ?', [merchantId, address]);
      assert.equal(rows, 1, `round ${round}`);
    }
  });

  it('lets no more invitations through than the per-merchant limit when they arrive at once (429 for the rest)', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => stage.invite(owner, merchantId, `${randomUUID()}@example.com`, 'viewer')),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 201, 201, 201, 429, 429, 429, 429, 429, 429]);
    for (const refused of answers.filter((a) => a.status === 429)) {
      assertError(refused, 429, 'rate_limited');
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
    }
    assert.equal(await count('SELECT COUNT(*) AS n FROM merchant_invitations WHERE merchant_id = ?', [merchantId]), 4);
    // The limit is the merchant's: another merchant still invites.
    const other = stage.person();
    assert.equal((await stage.invite(other, await stage.merchantOwnedBy(other), `${randomUUID()}@example.com`, 'viewer')).status, 201);
  });
});
