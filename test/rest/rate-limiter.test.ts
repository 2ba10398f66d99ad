import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { RateLimiter } from '../../src/rest/rate-limiter.js';

/**
 * The REST pacing on a mocked clock: GroupMe refuses with 429 at about 10 requests a second
 * and sends no Retry-After, so what a 429 does to the client's pace is all the client has.
 * recovery/catch-up.test.ts shows end to end that a catch-up gets through; these pin the
 * steps: halve the rate and empty the bucket, never below 1/32 of the pace, back to full
 * over 20 quiet seconds.
 */

/** Lets every callback already due run: the limiter chains its turns through promises. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A take() whose settling can be watched while the clock stands still. */
function watch(limiter: RateLimiter): { readonly done: boolean } {
  const state = { done: false };
  void limiter.take().then(() => {
    state.done = true;
  });
  return state;
}

/** Milliseconds of mocked time until `take()` resolves, stepped 10 ms at a time. */
async function waitOf(t: TestContext, limiter: RateLimiter, most = 60_000): Promise<number> {
  const taken = watch(limiter);
  await settle();
  let waited = 0;
  while (!taken.done) {
    assert.ok(waited < most, `take() still waiting after ${most} ms`);
    t.mock.timers.tick(10);
    waited += 10;
    await settle();
  }
  return waited;
}

function limiterOn(t: TestContext, perSecond: number, burst: number): RateLimiter {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_700_000_000_000 });
  return new RateLimiter({ perSecond, burst }, () => Date.now());
}

describe('RateLimiter', () => {
  it('lets a burst go at once, then paces at perSecond', async (t) => {
    const limiter = limiterOn(t, 10, 3);
    for (let i = 0; i < 3; i++) assert.equal(await waitOf(t, limiter), 0, `call ${i + 1} of the burst`);
    assert.equal(await waitOf(t, limiter), 100);
    assert.equal(await waitOf(t, limiter), 100);
  });

  it('after a 429, empties the bucket and halves the rate: the next call waits twice as long', async (t) => {
    const limiter = limiterOn(t, 10, 5);
    assert.equal(await waitOf(t, limiter), 0);
    limiter.slowDown();
    // Four tokens were left; a 429 takes them all, and the one after comes at 5 a second.
    assert.equal(await waitOf(t, limiter), 200);
    limiter.slowDown();
    assert.equal(await waitOf(t, limiter), 400);
  });

  it('never slows below 1/32 of the pace, however many 429s come', async (t) => {
    const limiter = limiterOn(t, 10, 1);
    for (let i = 0; i < 12; i++) limiter.slowDown();
    // 10/32 a second: 3.2 s a call (a little less, as the rate climbs back meanwhile).
    const waited = await waitOf(t, limiter);
    assert.ok(waited > 2_800 && waited <= 3_200, `waited ${waited} ms`);
  });

  it('climbs back to the configured pace over 20 s with no 429', async (t) => {
    const limiter = limiterOn(t, 10, 1);
    for (let i = 0; i < 12; i++) limiter.slowDown();
    t.mock.timers.tick(10_000);
    assert.equal(await waitOf(t, limiter), 0, 'the bucket refilled meanwhile');
    const halfway = await waitOf(t, limiter);
    assert.ok(halfway > 100 && halfway < 400, `halfway back, a call waits ${halfway} ms`);
    t.mock.timers.tick(10_000);
    assert.equal(await waitOf(t, limiter), 0);
    assert.equal(await waitOf(t, limiter), 100, 'back at 10 a second');
  });
});
