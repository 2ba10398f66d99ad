import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FileCursorStore, PushClient } from '../../src/index.js';
import { createGroupMeServer } from '../../src/testing/index.js';
import { FAST, FaultWorld } from '../support/fault-world.js';
import { nextEvent, until } from '../support/wait.js';

describe('catch-up', { timeout: 30_000 }, () => {
  it('paces itself under GroupMe\'s rate limit: no 429 while fetching many conversations', async () => {
    const server = await createGroupMeServer({ pingIntervalMs: 100, rateLimitPerSecond: 10 });
    const me = server.addUser({ name: 'Me' });
    const friend = server.addUser({ name: 'Friend' });
    const groups = Array.from({ length: 20 }, (_, i) => server.addGroup({ name: `g${i}`, members: [me.id, friend.id] }));
    for (const g of groups) server.post(g.id, friend.id, 'history');
    const client = new PushClient({ token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl, ...FAST, restRateLimit: undefined });
    const delivered = new Map<string, number>();
    const raws = new Map<string, unknown>();
    client.on('line.create', (e) => {
      delivered.set(e.message.id, (delivered.get(e.message.id) ?? 0) + 1);
      if (e.origin === 'catch-up') raws.set(e.message.id, e.raw);
    });
    try {
      const baseline = nextEvent(client, 'catch-up');
      await client.start();
      await baseline;
      const caughtUp = nextEvent(client, 'catch-up');
      server.dropConnections();
      const missed = groups.map((g) => server.post(g.id, friend.id, 'while away').id);
      const report = await caughtUp;
      assert.equal(report.error, null);
      assert.ok(missed.every((id) => delivered.get(id) === 1));
      // faye may get some of them on its own before the connection is rebuilt: those come live.
      const caughtUpIds = missed.filter((id) => raws.has(id));
      assert.ok(caughtUpIds.length > 0);
      assert.equal(report.delivered, caughtUpIds.length);
      assert.deepEqual(server.requestLog.filter((r) => r.status === 429), []);
      // A caught-up message has no push payload: `raw` is built around the REST row, as the README says.
      for (const id of caughtUpIds) assert.deepEqual(raws.get(id), { type: 'line.create', subject: server.message(id) });
    } finally {
      await client.stop();
      await server.close();
    }
  });

  it('a client paced faster than GroupMe allows slows down on 429 and catches up everything', async (t) => {
    // 50 requests a second against GroupMe's ~10 (the look-alike's default, refused requests
    // counted too): without slowing down, every call keeps hitting a full window.
    const world = await FaultWorld.create({ subscribeAll: true, restRateLimit: { perSecond: 50, burst: 10 } });
    try {
      const baseline = nextEvent(world.client, 'catch-up');
      await world.client.start();
      await baseline;
      const groups = Array.from({ length: 8 }, (_, i) => world.server.addGroup({ name: `busy ${i}`, members: [world.me.id, world.friend.id] }));
      const seen = groups.map((g) => world.server.post(g.id, world.friend.id, 'seen').id);
      await world.received([...seen, ...world.publish(1, 'seen')]);

      world.server.dropConnections();
      const missed: string[] = [];
      for (let i = 0; i < 60; i++) {
        for (const g of groups) missed.push(world.server.post(g.id, world.friend.id, `missed ${i}`).id);
        missed.push(world.server.sendDirectMessage(world.friend.id, world.me.id, `missed dm ${i}`).id);
      }
      await world.received(missed);
      assert.deepEqual(world.duplicates(), []);
      const refused = world.server.requestLog.filter((r) => r.status === 429).length;
      t.diagnostic(`${refused} answers were 429, of ${world.server.requestLog.length} requests`);
      assert.ok(refused > 0, 'the pace tripped the limit at first');
      assert.notEqual(world.client.state, 'failed');
    } finally {
      await world.close();
    }
  });

  it('delivers a message that arrives on two channels once', async () => {
    const world = await FaultWorld.create({ subscribeAll: true });
    try {
      await world.client.start();
      const [id] = world.publish(1, 'twice');
      const payload = { type: 'line.create', alert: '', received_at: Date.now(), subject: world.server.message(id!) };
      world.server.publishRaw(`/group/${world.group.id}`, payload);
      world.server.publishRaw(`/user/${world.me.id}`, payload);
      const marker = world.publish(1, 'marker');
      await world.received([id!, ...marker]);
      assert.deepEqual(world.duplicates(), []);
    } finally {
      await world.close();
    }
  });

  it('resumes from a file cursor store after a process restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'groupme-push-'));
    const file = join(dir, 'cursors.json');
    const world = await FaultWorld.create({ cursorStore: new FileCursorStore(file) });
    try {
      const first = nextEvent(world.client, 'catch-up');
      await world.client.start();
      await first;
      const seen = world.publish(2, 'seen');
      await world.received(seen);
      await world.client.stop();
      assert.ok(JSON.parse(await readFile(file, 'utf8'))[`group:${world.group.id}`]);

      const missed = world.publish(3, 'missed while down');
      const next = new PushClient({
        token: world.me.token, pushUrl: world.server.pushUrl, apiUrl: world.server.apiUrl, ...FAST,
        cursorStore: new FileCursorStore(file),
      });
      const got: Array<[string, string]> = [];
      next.on('line.create', (e) => got.push([e.message.id, e.origin]));
      next.on('direct_message.create', (e) => got.push([e.message.id, e.origin]));
      try {
        const caughtUp = nextEvent(next, 'catch-up');
        await next.start();
        await caughtUp;
        await until(() => got.length >= missed.length);
        assert.deepEqual(got.map(([id]) => id).sort(), [...missed].sort());
        assert.ok(got.every(([, origin]) => origin === 'catch-up'));
      } finally {
        await next.stop();
      }
    } finally {
      await world.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
