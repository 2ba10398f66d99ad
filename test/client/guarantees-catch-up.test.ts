// Delivery guarantees, points 5 and 6 of the specification:
//  5. Order while catching up: while a catch-up runs after a reconnect, a live reaction or
//     edit of a message published after the reconnect is never delivered before that
//     message's own line.create.
//  6. Dedupe beyond the window: with dedupeCapacity 50, a group whose history reads fail
//     during a catch-up while more than 50 live messages are published in it, and whose
//     history then heals, has every message delivered exactly once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CatchUpReport, PushEvent } from '../../src/index.js';
import { Scene, deferred, settleWithin, waitFor, within } from '../support/guarantees.js';
import { collect } from '../support/wait.js';

function label(e: PushEvent): string {
  if (e.type === 'line.create' || e.type === 'direct_message.create') return `${e.type} ${e.message.text} (${e.origin})`;
  if (e.type === 'favorite' || e.type === 'message.update') return `${e.type} of ${e.message.id}`;
  return e.type;
}

describe('guarantees: order while catching up (point 5)', { timeout: 30_000 }, () => {
  it("a live reaction and edit of a message never come before the message's own line.create", async () => {
    // The catch-up is made slow two ways. (1) A line.create listener that waits on a gate for
    // catch-up events: with listeners awaited, the group's catch-up stays in flight until the
    // gate opens. (2) The DM thread's history read answers 429 with Retry-After: 2, so a
    // client that does not await listeners is still mid-catch-up (on the DM thread) when the
    // reaction and the edit arrive.
    const scene = await Scene.create({ subscribeAll: true, restRetry: { retries: 2, baseDelayMs: 10, maxDelayMs: 3_000 } });
    const gate = deferred();
    try {
      const { client, server, group, friend, me } = scene;
      const caughtUp: string[] = [];
      client.on('line.create', async (e) => {
        if (e.origin !== 'catch-up') return;
        caughtUp.push(e.message.text ?? '');
        await gate.promise;
      });
      await scene.start();
      const m0 = server.post(group.id, friend.id, 'm0').id;
      const d0 = server.sendDirectMessage(friend.id, me.id, 'd0').id;
      await scene.received([m0, d0], 'messages before the outage');

      server.failNextRest({ status: 429, retryAfterSeconds: 2, times: 1, pathPrefix: '/direct_messages' });
      server.dropConnections();
      const g1 = server.post(group.id, friend.id, 'g1').id;
      const g2 = server.post(group.id, friend.id, 'g2').id;
      server.sendDirectMessage(friend.id, me.id, 'd1');
      await waitFor(() => caughtUp.includes('g1') && client.state === 'connected', 'the catch-up to deliver g1 after the reconnect');

      // Published after the reconnect, while the catch-up is still running.
      const p = server.post(group.id, friend.id, 'P').id;
      server.react(me.id, p, '👍'); // `favorite` on /group/:id
      server.editMessage(p, 'P edited'); // `message.update` on /group/:id
      const isP = (e: PushEvent): boolean => (e.type === 'favorite' || e.type === 'message.update') && e.message.id === p;
      // Give a client that lets them through early the chance to show it (not needed for the
      // assertion to hold, only for it to be able to fail).
      await server.flush();
      await within(() => scene.events.filter(isP).length === 2, 1_000);
      gate.resolve();

      const index = (match: (e: PushEvent) => boolean): number => scene.events.findIndex(match);
      await waitFor(() => index((e) => e.type === 'line.create' && e.message.id === p) >= 0 && scene.events.filter(isP).length === 2, 'P, its reaction and its edit to be delivered');
      const line = index((e) => e.type === 'line.create' && e.message.id === p);
      const favorite = index((e) => e.type === 'favorite' && e.message.id === p);
      const update = index((e) => e.type === 'message.update' && e.message.id === p);
      const sequence = scene.events.map(label).join('\n');
      assert.ok(line < favorite, `the reaction to P came before P itself:\n${sequence}`);
      assert.ok(line < update, `the edit of P came before P itself:\n${sequence}`);
      assert.deepEqual(scene.conversation(`group:${group.id}`).slice(0, 4), [m0, g1, g2, p], 'the group in order');
    } finally {
      gate.resolve();
      await scene.close();
    }
  });
});

describe('guarantees: a failing catch-up holds its own conversation only (point 5)', { timeout: 30_000 }, () => {
  it('while one group\'s history keeps failing, another group flows; its held live messages follow the missed one, in order', async () => {
    // Two tries per read; 40 failures outlast a score of catch-up retries, then the history heals.
    const scene = await Scene.create({ restRetry: { retries: 1, baseDelayMs: 10, maxDelayMs: 20 } });
    try {
      const { client, server, group, friend, me } = scene;
      const other = server.addGroup({ name: 'H', members: [me.id, friend.id] });
      const reports = collect(client, 'catch-up');
      await scene.start();
      const seen = [server.post(group.id, friend.id, 'g0').id, server.post(other.id, friend.id, 'h0').id];
      await scene.received(seen, 'a message in each group before the outage');

      server.failNextRest({ status: 500, times: 40, pathPrefix: `/groups/${group.id}/messages` });
      server.dropConnections();
      const missed = server.post(group.id, friend.id, 'missed').id;
      await waitFor(() => reports.some((r) => r.failures.some((f) => f.id === group.id)), 'a catch-up that could not read the group');
      const held = [1, 2, 3].map((i) => server.post(group.id, friend.id, `live ${i}`).id);
      const flowing = server.post(other.id, friend.id, 'h1').id;
      await scene.received([flowing], 'the other group\'s live message');
      const counts = scene.counts();
      assert.deepEqual([missed, ...held].filter((id) => counts.has(id)), [], 'the failing group\'s messages wait for its catch-up');

      await scene.received([missed, ...held], 'the failing group once its history heals');
      assert.deepEqual(scene.conversation(`group:${group.id}`), [seen[0], missed, ...held], 'in order, each once');
      assert.deepEqual(scene.conversation(`group:${other.id}`), [seen[1], flowing]);
    } finally {
      await settleWithin(scene.close(), 'close');
    }
  });
});

describe('guarantees: dedupe beyond the window (point 6)', { timeout: 30_000 }, () => {
  it('a group whose history fails during a catch-up while 150 live messages arrive (three windows of 50): each delivered once', async () => {
    const scene = await Scene.create({
      dedupeCapacity: 50,
      // Two tries per read: a fault of 2 fails exactly one catch-up of the group.
      restRetry: { retries: 1, baseDelayMs: 10, maxDelayMs: 20 },
      // The retry of the failed conversation comes a little later, after the live messages.
      reconnect: { baseDelayMs: 200, maxDelayMs: 400 },
    });
    try {
      const { client, server, group, friend } = scene;
      const reports = collect(client, 'catch-up');
      await scene.start();
      const m0 = server.post(group.id, friend.id, 'm0').id;
      await scene.received([m0], 'a message before the outage');

      server.dropConnections();
      const gap = server.post(group.id, friend.id, 'gap').id;
      server.failNextRest({ status: 500, times: 2, pathPrefix: `/groups/${group.id}/messages` });
      const failedGroup = (r: CatchUpReport): boolean => r.failures.some((f) => f.id === group.id);
      await waitFor(() => reports.some(failedGroup), 'a catch-up that could not read the group');
      const failedAt = reports.findIndex(failedGroup);

      const live: string[] = [];
      for (let i = 0; i < 150; i++) live.push(server.post(group.id, friend.id, `live ${i}`).id);
      await scene.received([gap, ...live], 'the gap message and the 150 live ones');
      // The retried catch-up reads the history again once it heals. Waited for when the client
      // reports it; the end marker below is delivered after it in the group's order anyway.
      await within(() => reports.slice(failedAt + 1).some((r) => r.failures.length === 0 && r.error === null), 5_000);
      const end = server.post(group.id, friend.id, 'end').id;
      await scene.received([end], 'a message after the history healed');

      const counts = scene.counts();
      const expected = [m0, gap, ...live, end];
      const duplicated = expected.filter((id) => (counts.get(id) ?? 0) > 1);
      const missing = expected.filter((id) => !counts.has(id));
      assert.deepEqual(
        { duplicated: duplicated.length, missing: missing.length },
        { duplicated: 0, missing: 0 },
        `every message delivered exactly once, of ${expected.length}; duplicated: ${duplicated.slice(0, 5).join(', ')}...; missing: ${missing.slice(0, 5).join(', ')}`,
      );
      assert.equal(scene.conversation(`group:${group.id}`).length, expected.length);
    } finally {
      await settleWithin(scene.close(), 'close');
    }
  });
});
