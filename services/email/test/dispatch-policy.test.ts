import assert from 'node:assert/strict';
import { RetryPolicy } from '@merchant-platform/common/worker/retry-policy';
import { SendRateLimiter } from '../src/domain/send-rate.js';
import { escapeHtml } from '@merchant-platform/common/text';

describe('dispatch policy', () => {
  it('backs off exponentially with jitter in [d/2, d], capped at the maximum', () => {
    const low = new RetryPolicy({ maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 10_000 }, () => 0);
    const high = new RetryPolicy({ maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 10_000 }, () => 1);
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => low.delayMs(n)),
      [500, 1000, 2000, 4000, 5000, 5000],
    );
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => high.delayMs(n)),
      [1000, 2000, 4000, 8000, 10_000, 10_000],
    );
  });

  it('allows another attempt only below the maximum', () => {
    const policy = new RetryPolicy({ maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 });
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => policy.mayRetry(n)),
      [true, true, false, false],
    );
  });

  it('spaces sends to the configured rate', async () => {
    const limiter = new SendRateLimiter(50);
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => limiter.acquire()));
    assert.ok(Date.now() - started >= 95, `6 sends at 50/s take at least 100 ms (took ${Date.now() - started})`);
  });

  it('escapes every HTML-significant character', () => {
    assert.equal(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });
});
