import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CursorBook } from '../../src/client/cursor-book.js';
import { compareIds } from '../../src/events/channel.js';
import { MemoryCursorStore } from '../../src/recovery/cursor-store.js';
import type { GroupMePushError } from '../../src/errors/groupme-push-error.js';

function book(store?: MemoryCursorStore): { book: CursorBook; errors: GroupMePushError[] } {
  const errors: GroupMePushError[] = [];
  return { book: new CursorBook(store, (error) => errors.push(error)), errors };
}

describe('CursorBook', () => {
  it('moves a cursor forward only, by numeric order, whichever conversation moved last', async () => {
    const { book: cursors } = book();
    await cursors.advance('group:1', '100');
    await cursors.advance('group:2', '500');
    await cursors.advance('group:1', '99'); // back, and not the conversation moved last
    await cursors.advance('group:1', '101');
    await cursors.advance('group:1', '100'); // back, the conversation moved last
    await cursors.advance('group:2', '1000'); // longer id: later, though "1000" < "500" as strings
    await cursors.advance('group:2', '999');
    assert.equal(await cursors.get('group:1'), '101');
    assert.equal(await cursors.get('group:2'), '1000');
    assert.equal(await cursors.get('group:3'), undefined);
  });

  it('writes each forward move to its store, and no backward one', async () => {
    const store = new MemoryCursorStore();
    const { book: cursors, errors } = book(store);
    await cursors.advance('dm:1+2', '7');
    await cursors.advance('dm:1+2', '6');
    await cursors.advance('dm:1+2', '8');
    assert.deepEqual(store.entries(), { 'dm:1+2': '8' });
    assert.deepEqual(errors, []);
  });

  it('reads a stored cursor through, and keeps the newer of stored and delivered', async () => {
    const store = new MemoryCursorStore();
    store.set('group:1', '200');
    store.set('group:2', '50');
    const { book: cursors } = book(store);
    assert.equal(await cursors.get('group:1'), '200');
    await cursors.advance('group:1', '150');
    assert.equal(await cursors.get('group:1'), '200');
    await cursors.advance('group:2', '60'); // delivered before the store was read
    assert.equal(await cursors.get('group:2'), '60');
    assert.equal(store.get('group:2'), '60');
  });

  it('keeps exactly the greatest id by compareIds, and hands it back as given, for any mix of ids', async () => {
    // GroupMe's ids are kept as numbers, any other as its string: the two must agree with
    // each other and with compareIds wherever they meet (nine and eighteen digits, leading
    // zeros, longer than eighteen, not digits at all).
    const id = fc.oneof(
      fc.stringMatching(/^[1-9]\d{0,19}$/),
      fc.integer({ min: 0, max: 40 }).map((n) => `1750000000000000${String(n).padStart(2, '0')}`),
      fc.constantFrom('0', '00', '01', '0100', '99', '100', '999999999', '1000000000', '999999999999999999', '1000000000000000000', '10000000000000000000', 'abc', 'x9', ''),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ key: fc.constantFrom('group:1', 'group:2', 'dm:1+2'), id }), { maxLength: 60 }), async (steps) => {
        const { book: cursors } = book();
        const reference = new Map<string, string>();
        for (const { key, id } of steps) {
          await cursors.advance(key, id);
          const current = reference.get(key);
          if (current === undefined || compareIds(id, current) > 0) reference.set(key, id);
          assert.equal(await cursors.get(key), reference.get(key), `${key} after ${id}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
