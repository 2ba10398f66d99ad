import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LivenessWatch } from '../../src/recovery/liveness.js';

describe('LivenessWatch', { timeout: 5_000 }, () => {
  it('declares a silent connection dead', async () => {
    const reason = await new Promise<string>((resolve) => new LivenessWatch(40, resolve).start());
    assert.match(reason, /nothing arrived/);
  });

  it('treats timers that fire far too late (a machine that slept) as a dead connection', async () => {
    let offset = 0;
    const now = (): number => Date.now() + offset;
    const reason = await new Promise<string>((resolve) => {
      const watch = new LivenessWatch(10_000, resolve, now);
      watch.start();
      // Activity keeps arriving, but the clock jumps as if the process had been frozen.
      offset = 60_000;
      watch.touch();
    });
    assert.match(reason, /suspended/);
  });

  it('stays quiet while activity keeps arriving, and stop() leaves no timer', async () => {
    let dead = false;
    const watch = new LivenessWatch(60, () => (dead = true));
    watch.start();
    for (let i = 0; i < 10; i++) {
      watch.touch();
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    watch.stop();
    assert.equal(dead, false);
  });
});
