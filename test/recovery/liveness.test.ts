import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { resolveOptions } from '../../src/client/options.js';
import { LivenessWatch, type LivenessVerdict } from '../../src/recovery/liveness.js';
import type { ProbeOutcome } from '../../src/transport/faye-transport.js';

const DEFAULTS = resolveOptions({ token: 'liveness-test' }).liveness;
const MINUTE = 60_000;

/** Lets the promise callbacks that timers started run, as the event loop would. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** Advances the mocked clock in steps of `stepMs`, settling promises between steps. */
async function advance(totalMs: number, stepMs = 1_000): Promise<void> {
  for (let t = 0; t < totalMs; t += stepMs) {
    mock.timers.tick(stepMs);
    await settle();
  }
}

describe('LivenessWatch (mocked clock, default timings)', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  it('never gives up on a healthy connection that sends nothing at all for an hour', async () => {
    let probes = 0;
    const verdicts: LivenessVerdict[] = [];
    const watch = new LivenessWatch(DEFAULTS, async () => (probes++, 'answered'), (v) => verdicts.push(v), Date.now);
    watch.start();
    await advance(60 * MINUTE);
    watch.stop();
    assert.deepEqual(verdicts, []);
    // One question per quiet minute, no more: this is the whole cost on the wire.
    assert.ok(probes >= 50 && probes <= 60, `${probes} probes in an hour`);
  });

  it('asks nothing while frames keep arriving', async () => {
    let probes = 0;
    const watch = new LivenessWatch(DEFAULTS, async () => (probes++, 'answered'), () => assert.fail('declared dead'), Date.now);
    watch.start();
    for (let i = 0; i < 20; i++) {
      await advance(DEFAULTS.quietMs / 2);
      watch.touch();
    }
    watch.stop();
    assert.equal(probes, 0);
  });

  it('asks nothing while the transport says frames arrived, and asks once they stop', async () => {
    let probes = 0;
    let flowing = true;
    const watch = new LivenessWatch(DEFAULTS, async () => (probes++, 'answered'), () => assert.fail('declared dead'), Date.now, () => flowing);
    watch.start();
    await advance(10 * MINUTE);
    assert.equal(probes, 0);
    flowing = false;
    await advance(DEFAULTS.quietMs * 2);
    watch.stop();
    assert.ok(probes >= 1, 'a quiet connection is asked');
  });

  it('finds a black hole (probe never answered) within about two minutes', async () => {
    const verdicts: Array<{ verdict: LivenessVerdict; at: number }> = [];
    const start = Date.now();
    const watch = new LivenessWatch(DEFAULTS, () => new Promise<ProbeOutcome>(() => undefined), (verdict) => verdicts.push({ verdict, at: Date.now() }), Date.now);
    watch.start();
    await advance(5 * MINUTE);
    assert.equal(verdicts.length, 1);
    assert.equal(verdicts[0]!.verdict.kind, 'silent');
    assert.ok(verdicts[0]!.at - start <= 2 * MINUTE, `found after ${verdicts[0]!.at - start} ms`);
    assert.ok(verdicts[0]!.at - start >= DEFAULTS.quietMs, 'not before the quiet period');
  });

  it('reports a refused probe as a lost session', async () => {
    const verdicts: LivenessVerdict[] = [];
    const watch = new LivenessWatch(DEFAULTS, async () => 'refused', (v) => verdicts.push(v), Date.now);
    watch.start();
    await advance(3 * MINUTE);
    assert.deepEqual(verdicts.map((v) => v.kind), ['refused']);
  });

  it('treats timers that fire far too late (a machine that slept) as a dead connection', async () => {
    const verdicts: LivenessVerdict[] = [];
    const watch = new LivenessWatch(DEFAULTS, async () => 'answered', (v) => verdicts.push(v), () => Date.now() + offset);
    let offset = 0;
    watch.start();
    await advance(10_000);
    offset = 10 * MINUTE; // the clock jumps as if the process had been frozen
    watch.touch();
    await advance(DEFAULTS.quietMs);
    assert.deepEqual(verdicts.map((v) => v.kind), ['suspended']);
  });

  it('ignores a probe answered after stop()', async () => {
    let answer!: (outcome: ProbeOutcome) => void;
    const verdicts: LivenessVerdict[] = [];
    const watch = new LivenessWatch(DEFAULTS, () => new Promise<ProbeOutcome>((resolve) => (answer = resolve)), (v) => verdicts.push(v), Date.now);
    watch.start();
    await advance(DEFAULTS.quietMs + DEFAULTS.quietMs / 4);
    watch.stop();
    answer('refused');
    await advance(5 * MINUTE);
    assert.deepEqual(verdicts, []);
  });
});
