import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeenIds } from '../../src/recovery/seen-ids.js';

describe('SeenIds', () => {
  it('rejects a repeat, remembers at least half its capacity, and never exceeds it', () => {
    const seen = new SeenIds(4);
    assert.equal(seen.add('a'), true);
    assert.equal(seen.add('a'), false);
    for (const id of ['b', 'c', 'd', 'e']) assert.equal(seen.add(id), true);
    assert.ok(seen.size <= 4);
    // The last two are always remembered.
    assert.equal(seen.add('d'), false);
    assert.equal(seen.add('e'), false);
    for (let i = 0; i < 100; i++) seen.add(`x${i}`);
    assert.ok(seen.size <= 4);
    assert.equal(seen.add('a'), true, 'long forgotten');
  });
});
