import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SafeEmitter } from '../../src/client/safe-emitter.js';
import { ListenerError } from '../../src/errors/listener-error.js';
import type { GroupMePushError } from '../../src/errors/groupme-push-error.js';

interface Events {
  tick: number;
  error: GroupMePushError;
}

/** The emitter as PushClient uses it, with `emit` reachable from the test. */
class Emitter extends SafeEmitter<Events> {
  fire(value: number): Promise<void> | undefined {
    return this.emit('tick', value);
  }
}

describe('SafeEmitter', () => {
  it('once(x, f) then on(x, f): the first emit removes the once registration, not the other', () => {
    const emitter = new Emitter();
    let calls = 0;
    const f = (): void => void calls++;
    emitter.once('tick', f).on('tick', f);
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      calls = 0;
      emitter.fire(i);
      counts.push(calls);
    }
    assert.deepEqual(counts, [2, 1, 1]);
  });

  it('reports a rejected promise as a ListenerError and settles once every listener has', async () => {
    const emitter = new Emitter();
    const errors: GroupMePushError[] = [];
    emitter.on('error', (error) => void errors.push(error));
    const order: string[] = [];
    const cause = new Error('async bug');
    emitter.on('tick', async () => {
      await Promise.resolve();
      throw cause;
    });
    emitter.on('tick', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push('slow listener done');
    });
    const settled = emitter.fire(1);
    assert.ok(settled, 'an async listener makes emit return a promise');
    await settled;
    order.push('emit settled');
    assert.deepEqual(order, ['slow listener done', 'emit settled']);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof ListenerError);
    assert.equal(errors[0].eventName, 'tick');
    assert.equal(errors[0].cause, cause);
  });

  it('returns nothing to wait for when every listener is synchronous', () => {
    const emitter = new Emitter();
    emitter.on('tick', () => undefined);
    assert.equal(emitter.fire(1), undefined);
  });
});
