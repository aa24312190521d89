import assert from 'node:assert/strict';
import { teamsStage } from './teams-harness.js';

const ROUNDS = 5;

describe('merchant teams: the last owner under concurrency', () => {
  const stage = teamsStage();
  const { call } = stage;

  it('leaves exactly one owner when two owners demote each other at once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const first = stage.person();
      const merchantId = await stage.merchantOwnedBy(first);
      const second = await stage.seat(merchantId, 'owner');
      const answers = await Promise.all([
        call('PATCH', `/merchants/${merchantId}/members/${second.sub}`, { token: first.token(), json: { role: 'admin' } }),
        call('PATCH', `/merchants/${merchantId}/members/${first.sub}`, { token: second.token(), json: { role: 'admin' } }),
      ]);
      const statuses = answers.map((a) => a.status).sort();
      // The loser was demoted before its own change ran: as an admin it may not touch an owner (403),
      // or, had it still counted, the count would have stopped it (409).
      assert.equal(statuses[0], 200, `round ${round}: ${statuses.join(', ')}`);
      assert.ok([403, 409].includes(statuses[1]!), `round ${round}: ${statuses.join(', ')}`);
      assert.equal(await stage.ownerCount(merchantId), 1, `round ${round}`);
    }
  });

  it('leaves exactly one owner when two owners leave at once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const first = stage.person();
      const merchantId = await stage.merchantOwnedBy(first);
      const second = await stage.seat(merchantId, 'owner');
      const answers = await Promise.all(
        [first, second].map((owner) => call('DELETE', `/merchants/${merchantId}/members/${owner.sub}`, { token: owner.token() })),
      );
      assert.deepEqual(answers.map((a) => a.status).sort(), [204, 409], `round ${round}`);
      assert.equal(await stage.ownerCount(merchantId), 1, `round ${round}`);
    }
  });

  it('leaves exactly one owner when each of three owners removes the next at once', async () => {
    const first = stage.person();
    const merchantId = await stage.merchantOwnedBy(first);
    const owners = [first, await stage.seat(merchantId, 'owner'), await stage.seat(merchantId, 'owner')];
    await Promise.all(
      owners.map((owner, i) =>
        call('DELETE', `/merchants/${merchantId}/members/${owners[(i + 1) % owners.length]!.sub}`, { token: owner.token() }),
      ),
    );
    assert.equal(await stage.ownerCount(merchantId), 1);
  });

  it('leaves exactly one owner when four owners each demote all the others at once', async () => {
    const first = stage.person();
    const merchantId = await stage.merchantOwnedBy(first);
    const owners = [first, ...(await Promise.all([1, 2, 3].map(() => stage.seat(merchantId, 'owner'))))];
    // An owner stays only if every demotion of it failed, which needs its demoter out of owner or
    // alone: so two can never both stay, and one always does.
    const answers = await Promise.all(
      owners.flatMap((actor) =>
        owners
          .filter((target) => target !== actor)
          .map((target) =>
            call('PATCH', `/merchants/${merchantId}/members/${target.sub}`, { token: actor.token(), json: { role: 'admin' } }),
          ),
      ),
    );
    assert.deepEqual(
      answers.filter((a) => ![200, 403, 409].includes(a.status)).map((a) => a.text),
      [],
    );
    assert.equal(await stage.ownerCount(merchantId), 1);
  });
});
