import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CursorBook } from '../../src/client/cursor-book.js';
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
});
