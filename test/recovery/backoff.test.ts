import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff } from '../../src/recovery/backoff.js';
import { backoffDelay } from '../../src/rest/retry-policy.js';

describe('reconnect backoff', () => {
  it('is equal jitter: each delay lies between half and all of its doubling, capped step', () => {
    const policy = { retries: Infinity, baseDelayMs: 1_000, maxDelayMs: 60_000 };
    const steps = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000];
    steps.forEach((step, attempt) => {
      assert.equal(backoffDelay(policy, attempt, () => 0), step / 2, `attempt ${attempt}, lowest`);
      assert.equal(backoffDelay(policy, attempt, () => 1), step, `attempt ${attempt}, highest`);
    });
  });

  it('counts each next() as an attempt and starts over after reset()', () => {
    const backoff = new Backoff(100, 1_000);
    const first = [backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()];
    [100, 200, 400, 800, 1_000].forEach((step, i) => assert.ok(first[i]! >= step / 2 && first[i]! <= step, `${first[i]} for a ${step} ms step`));
    backoff.reset();
    const again = backoff.next();
    assert.ok(again >= 50 && again <= 100, `${again} after reset`);
  });
});
