import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PushClient, WebStorageCursorStore, type StorageLike } from '../../src/index.js';
import { FAST, FaultWorld } from '../support/fault-world.js';
import { nextEvent } from '../support/wait.js';

/** Web Storage's contract over a Map; `full` makes it refuse writes as a full quota does. */
class MapStorage implements StorageLike {
  readonly items = new Map<string, string>();
  full = false;

  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    if (this.full) throw new Error('QuotaExceededError: the quota has been exceeded.');
    this.items.set(key, value);
  }
}

describe('WebStorageCursorStore', { timeout: 30_000 }, () => {
  it('keeps each prefix apart in one storage', () => {
    const storage = new MapStorage();
    const alice = new WebStorageCursorStore(storage, 'alice:');
    const bob = new WebStorageCursorStore(storage, 'bob:');
    alice.set('group:1', '100');
    bob.set('group:1', '200');
    assert.equal(alice.get('group:1'), '100');
    assert.equal(bob.get('group:1'), '200');
    assert.equal(alice.get('group:2'), undefined);
    assert.deepEqual([...storage.items.keys()].sort(), ['alice:group:1', 'bob:group:1']);
  });

  it('resumes a new client from where the last one stopped', async () => {
    const storage = new MapStorage();
    const world = await FaultWorld.create({ cursorStore: new WebStorageCursorStore(storage) });
    const { server, me, friend, group } = world;
    try {
      const seen = nextEvent(world.client, 'line.create');
      await world.client.start();
      server.post(group.id, friend.id, 'before');
      await seen;
      await world.client.stop();

      const missed = server.post(group.id, friend.id, 'while no client ran');
      const second = new PushClient({
        token: me.token,
        pushUrl: server.pushUrl,
        apiUrl: server.apiUrl,
        ...FAST,
        cursorStore: new WebStorageCursorStore(storage),
      });
      const texts: string[] = [];
      second.on('line.create', (e) => texts.push(e.message.text ?? ''));
      const caughtUp = nextEvent(second, 'catch-up');
      await second.start();
      assert.equal((await caughtUp).delivered, 1);
      assert.deepEqual(texts, ['while no client ran']);
      assert.equal(storage.getItem(`groupme-push:cursor:group:${group.id}`), missed.id);
      await second.stop();
    } finally {
      await world.close();
    }
  });

  it('reports a storage that refuses writes as an error, and keeps delivering', async () => {
    const storage = new MapStorage();
    const world = await FaultWorld.create({ cursorStore: new WebStorageCursorStore(storage) });
    try {
      await world.client.start();
      storage.full = true;
      const error = nextEvent(world.client, 'error');
      const delivered = nextEvent(world.client, 'line.create');
      world.server.post(world.group.id, world.friend.id, 'no room for its cursor');
      assert.equal((await delivered).message.text, 'no room for its cursor');
      assert.equal((await error).code, 'CURSOR_STORE');
    } finally {
      await world.close();
    }
  });
});
