import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { PushClient } from '../../src/index.js';
import { RedisCursorStore } from '../../src/redis/index.js';
import { createGroupMeServer } from '../../src/testing/index.js';
import { nextEvent } from '../support/wait.js';
import { redisForSuite } from './redis-server.js';

describe('RedisCursorStore', { timeout: 30_000 }, () => {
  const suite = redisForSuite();

  it('keeps one hash per account and moves a cursor only forward, comparing ids as numbers', async () => {
    const store = new RedisCursorStore({ redis: suite.redis, account: '42' });
    assert.equal(store.key, 'groupme:cursors:42');
    assert.equal(await store.get('group:1'), undefined);
    await store.set('group:1', '999');
    await store.set('group:1', '1000');
    await store.set('group:1', '998');
    assert.equal(await store.get('group:1'), '1000');
    await store.set('group:1', '1001');
    await store.set('group:1', '1000');
    assert.equal(await store.get('group:1'), '1001');
    await store.set('dm:1+2', '5');
    assert.deepEqual(await store.entries(), { 'group:1': '1001', 'dm:1+2': '5' });
  });

  it('lets replicas write in any order: the newest id wins', async () => {
    const other = new Redis(suite.server.url);
    try {
      const a = new RedisCursorStore({ redis: suite.redis, account: '7' });
      const b = new RedisCursorStore({ redis: other, account: '7' });
      const ids = Array.from({ length: 200 }, (_, i) => String(10_000 + i));
      // Interleaved and shuffled: each replica writes half, in reverse.
      await Promise.all(ids.map((id, i) => (i % 2 === 0 ? a : b).set('group:9', ids[ids.length - 1 - i]!)));
      assert.equal(await a.get('group:9'), '10199');
    } finally {
      other.disconnect();
    }
  });

  it('gives a restarted client the cursor to catch up from', async () => {
    const server = await createGroupMeServer();
    try {
      const me = server.addUser({ name: 'Me' });
      const alice = server.addUser({ name: 'Alice' });
      const group = server.addGroup({ name: 'G', members: [me.id, alice.id] });
      const options = { token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl };
      const first = new PushClient({ ...options, cursorStore: new RedisCursorStore({ redis: suite.redis, account: me.id }) });
      await first.start();
      const seen = nextEvent(first, 'line.create');
      const before = server.post(group.id, alice.id, 'before');
      await seen;
      const store = new RedisCursorStore({ redis: suite.redis, account: me.id });
      await untilAsync(async () => (await store.get(`group:${group.id}`)) === before.id);
      await first.stop();

      const missed = server.post(group.id, alice.id, 'while away');
      const second = new PushClient({ ...options, cursorStore: store });
      const caughtUp = nextEvent(second, 'line.create');
      await second.start();
      const event = await caughtUp;
      assert.equal(event.message.id, missed.id);
      assert.equal(event.origin, 'catch-up');
      await second.stop();
    } finally {
      await server.close();
    }
  });
});

async function untilAsync(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
}
