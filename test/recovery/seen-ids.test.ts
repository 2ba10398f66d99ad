import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeenIds } from '../../src/recovery/seen-ids.js';

describe('SeenIds', () => {
  it('rejects a repeat, remembers at least its capacity, and never more than twice that', () => {
    const seen = new SeenIds(4);
    assert.equal(seen.add('a'), true);
    assert.equal(seen.add('a'), false);
    for (const id of ['b', 'c', 'd', 'e']) assert.equal(seen.add(id), true);
    assert.ok(seen.size <= 8);
    // Whatever the moment, the last `capacity` ids are remembered.
    for (let i = 0; i < 100; i++) {
      seen.add(`x${i}`);
      for (let back = 0; back < 4 && back <= i; back++) assert.equal(seen.add(`x${i - back}`), false, `x${i - back} after x${i}`);
      assert.ok(seen.size <= 8);
    }
    assert.equal(seen.add('a'), true, 'long forgotten');
  });
});
