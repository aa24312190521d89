import assert from 'node:assert/strict';
import { RevocationList } from '../src/tokens/revocation-list.js';

const at = (ms: number) => new Date(ms).toISOString();
const T = Date.parse('2030-01-01T00:00:00Z');

describe('the revocation list', () => {
  it('refuses a user’s tokens issued at or before the cutoff and accepts later ones', () => {
    const list = new RevocationList({ now: () => T });
    list.add({ kind: 'user', subject_id: 'u1', revoked_before: at(T), expires_at: at(T + 930_000) });
    assert.equal(list.isRevoked({ sub: 'u1', iat: T / 1000 - 60 }), true);
    assert.equal(list.isRevoked({ sub: 'u1', iat: T / 1000 }), true);
    assert.equal(list.isRevoked({ sub: 'u1', iat: T / 1000 + 1 }), false);
    assert.equal(list.isRevoked({ sub: 'u2', iat: T / 1000 - 60 }), false);
  });

  it('refuses the tokens of a revoked session only, by their sid', () => {
    const list = new RevocationList({ now: () => T });
    list.add({ kind: 'session', subject_id: 's1', revoked_before: at(T), expires_at: at(T + 930_000) });
    assert.equal(list.isRevoked({ sub: 'u1', sid: 's1', iat: T / 1000 - 1 }), true);
    assert.equal(list.isRevoked({ sub: 'u1', sid: 's2', iat: T / 1000 - 1 }), false);
    assert.equal(list.isRevoked({ sub: 'u1', iat: T / 1000 - 1 }), false);
  });

  it('keeps the latest cutoff whatever order revocations arrive in', () => {
    const list = new RevocationList({ now: () => T });
    list.add({ kind: 'user', subject_id: 'u1', revoked_before: at(T + 10_000), expires_at: at(T + 940_000) });
    list.add({ kind: 'user', subject_id: 'u1', revoked_before: at(T), expires_at: at(T + 930_000) });
    assert.equal(list.isRevoked({ sub: 'u1', iat: T / 1000 + 5 }), true);
  });

  it('forgets an entry once every token it kills has expired', () => {
    let now = T;
    const list = new RevocationList({ now: () => now });
    list.add({ kind: 'user', subject_id: 'u1', revoked_before: at(T), expires_at: at(T + 930_000) });
    now = T + 930_001;
    list.prune();
    assert.equal(list.size, 0);
    list.add({ kind: 'user', subject_id: 'u2', revoked_before: at(T), expires_at: at(T + 930_000) });
    assert.equal(list.size, 0, 'an entry that no longer matters is not even stored');
  });

  it('stays within its bound under a flood, dropping the entry that expires first', () => {
    const list = new RevocationList({ now: () => T, maxEntries: 3 });
    for (let i = 0; i < 5; i++) list.add({ kind: 'user', subject_id: `u${i}`, revoked_before: at(T), expires_at: at(T + 1_000 + i) });
    assert.equal(list.size, 3);
    assert.equal(list.isRevoked({ sub: 'u0', iat: T / 1000 - 1 }), false);
    assert.equal(list.isRevoked({ sub: 'u4', iat: T / 1000 - 1 }), true);
  });
});
