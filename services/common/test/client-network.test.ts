import assert from 'node:assert/strict';
import { clientNetwork } from '../src/rate-limit.js';

describe('clientNetwork, the key of every per-client limit', () => {
  it('keeps an IPv4 address as it is, also when it comes IPv4-mapped in IPv6', () => {
    assert.equal(clientNetwork('203.0.113.9'), '203.0.113.9');
    assert.equal(clientNetwork('::ffff:203.0.113.9'), '203.0.113.9');
    assert.equal(clientNetwork('::ffff:cb00:7109'), '203.0.113.9');
  });

  it('gives every address of one IPv6 /64 the same key, however it is written', () => {
    const keys = ['2001:db8:1:2::1', '2001:0DB8:0001:0002:ffff:0:0:1', '2001:db8:1:2:abcd:1234:5678:9abc', 'fe80::1%eth0'].map(
      clientNetwork,
    );
    assert.deepEqual(keys, ['2001:db8:1:2::/64', '2001:db8:1:2::/64', '2001:db8:1:2::/64', 'fe80:0:0:0::/64']);
    assert.notEqual(clientNetwork('2001:db8:1:3::1'), clientNetwork('2001:db8:1:2::1'));
  });

  it('marks a value that is no address instead of trusting it, and bounds its length', () => {
    assert.equal(clientNetwork('not-an-ip'), 'unparsed:not-an-ip');
    assert.equal(clientNetwork('x'.repeat(500)).length, 'unparsed:'.length + 64);
  });
});
