import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PushClient, WebStorageCursorStore, type StorageLike } from '../../src/index.js';
import { createGroupMeServer } from '../../src/testing/index.js';
import { FAST } from '../support/fault-world.js';
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

/** A server with one group of two, and the options of a client for its first user. */
async function world() {
  const server = await createGroupMeServer({ pingIntervalMs: 0 });
  const me = server.addUser({ name: 'Me' });
  const friend = server.addUser({ name: 'Friend' });
  const group = server.addGroup({ name: 'G', members: [me.id, friend.id] });
  const options = { token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl, ...FAST };
  return { server, friend, group, options, storage: new MapStorage() };
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
    const { server, friend, group, options, storage } = await world();
    try {
      const first = new PushClient({ ...options, cursorStore: new WebStorageCursorStore(storage) });
      const seen = nextEvent(first, 'line.create');
      await first.start();
      server.post(group.id, friend.id, 'before');
      await seen;
      await first.stop();

      const missed = server.post(group.id, friend.id, 'while no client ran');
      const second = new PushClient({ ...options, cursorStore: new WebStorageCursorStore(storage) });
      const texts: string[] = [];
      second.on('line.create', (e) => texts.push(e.message.text ?? ''));
      const caughtUp = nextEvent(second, 'catch-up');
      await second.start();
      assert.equal((await caughtUp).delivered, 1);
      assert.deepEqual(texts, ['while no client ran']);
      assert.equal(storage.getItem(`groupme-push:cursor:group:${group.id}`), missed.id);
      await second.stop();
    } finally {
      await server.close();
    }
  });

  it('reports a storage that refuses writes as an error, and keeps delivering', async () => {
    const { server, friend, group, options, storage } = await world();
    const client = new PushClient({ ...options, cursorStore: new WebStorageCursorStore(storage) });
    try {
      await client.start();
      storage.full = true;
      const error = nextEvent(client, 'error');
      const delivered = nextEvent(client, 'line.create');
      server.post(group.id, friend.id, 'no room for its cursor');
      assert.equal((await delivered).message.text, 'no room for its cursor');
      assert.equal((await error).code, 'CURSOR_STORE');
    } finally {
      await client.stop();
      await server.close();
    }
  });
});
