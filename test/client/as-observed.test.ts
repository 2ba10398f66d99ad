import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, AuthenticationError, SessionLostError, type CatchUpReport } from '../../src/index.js';
import { FaultWorld } from '../support/fault-world.js';
import { nextEvent, until } from '../support/wait.js';

/** Ids ascending as numbers, the way GroupMe orders them. */
function ascending(ids: readonly string[]): boolean {
  return ids.every((id, i) => i === 0 || BigInt(ids[i - 1]!) < BigInt(id));
}

// Every test here runs the look-alike server in its default, as-observed profile: no pings,
// /meta/connect held 600 s, /direct_messages ignoring after_id with 20 a page, short pages
// in the middle of group histories, /memberships/states paged, 429 past 10 requests a second.
describe('against GroupMe as observed', { timeout: 60_000 }, () => {
  it('catches up 250 DMs in one thread and 250 group messages after one disconnect, once each and in order', async () => {
    // The client's default REST pacing, against the server's default limiter (GroupMe's ~10/s).
    const world = await FaultWorld.create({ restRateLimit: undefined });
    try {
      const baseline = nextEvent(world.client, 'catch-up');
      await world.client.start();
      await baseline;
      const before = world.publish(1, 'before');
      await world.received(before);

      const caughtUp = nextEvent(world.client, 'catch-up', (r) => r.delivered > 0);
      world.server.dropConnections();
      const during: string[] = [];
      for (let i = 0; i < 250; i++) {
        during.push(world.server.post(world.group.id, world.friend.id, `group ${i}`).id);
        during.push(world.server.sendDirectMessage(world.friend.id, world.me.id, `dm ${i}`).id);
      }
      const report = await caughtUp;
      assert.deepEqual(report.failures, []);
      await world.received(during);
      assert.deepEqual(world.duplicates(), []);
      for (const [conversation, ids] of world.order) assert.ok(ascending(ids), `${conversation} delivered in order`);
      assert.equal(world.order.get(world.group.id)?.length, 1 + 250);
      const dms = world.server.requestLog.filter((r) => r.path === '/v3/direct_messages');
      assert.ok(dms.length >= 250 / 20, `the thread was walked back page by page (${dms.length} reads)`);
      assert.ok(dms.every((r) => r.query.after_id === undefined), 'after_id is never sent for DMs');
      assert.deepEqual(world.server.requestLog.filter((r) => r.status === 429), [], 'the default pacing stays under the limit');
    } finally {
      await world.close();
    }
  });

  it('never rebuilds a healthy connection that receives nothing: it asks, and the answer is enough', async () => {
    const world = await FaultWorld.create({ liveness: { quietMs: 100, probeTimeoutMs: 1_000 } });
    try {
      await world.client.start();
      const own = `/user/${world.me.id}`;
      const probes = (): number => world.server.subscribeLog.filter((row) => row.channel === own && row.ok).length - 1;
      // Ten quiet periods in a row, each ended by a probe the server answered.
      await until(() => probes() >= 10);
      assert.deepEqual(world.transitions(), ['connecting', 'connected']);
      assert.deepEqual(world.errors, []);
      assert.equal(typeof (await world.client.ping()), 'number', 'ping() resolves with the round trip');
      // The probe carries the token like any subscribe, and nothing else changed hands.
      const ids = world.publish(2, 'still here');
      await world.received(ids);
      assert.deepEqual(world.transitions(), ['connecting', 'connected']);
    } finally {
      await world.close();
    }
  });

  for (const refusal of ['unknown-client', 'invalid-client-id'] as const) {
    it(`treats a reaped session (${refusal}) as a gap: re-handshakes, re-subscribes, catches up, never fails`, async () => {
      const world = await FaultWorld.create({ subscribeAll: true });
      try {
        const baseline = nextEvent(world.client, 'catch-up');
        await world.client.start();
        await baseline;
        const before = world.publish(2, 'before');
        await world.received(before);

        const recovered = nextEvent(world.client, 'catch-up', (r) => r.delivered > 0);
        assert.ok(world.server.reapSessions({ refusal }) >= 1);
        const during = world.publish(3, 'during'); // the server knows no subscriber now
        await recovered;
        await until(() => world.client.state === 'connected');
        const after = world.publish(2, 'after');
        await world.received([...before, ...during, ...after]);
        assert.deepEqual(world.duplicates(), []);
        assert.ok(during.every((id) => world.origins.get(id) === 'catch-up'));
        assert.ok(!world.transitions().includes('failed'));
        assert.ok(world.errors.some((e) => e instanceof SessionLostError), 'the lost session was reported');
        assert.ok(!world.errors.some((e) => e instanceof AuthenticationError));
        // Every channel is held again on the new session.
        const channels = world.client.channels.map((c) => c.path).sort();
        assert.ok(channels.includes(`/group/${world.group.id}`));
      } finally {
        await world.close();
      }
    });
  }

  it('isolates conversations whose history read fails (401 for one, 500 after retries, 404), retries them later', async () => {
    const world = await FaultWorld.create();
    const { server, me, friend } = world;
    const failing401 = server.addGroup({ name: 'refuses', members: [me.id, friend.id] });
    const failing500 = server.addGroup({ name: 'broken', members: [me.id, friend.id] });
    const failing404 = server.addGroup({ name: 'gone', members: [me.id, friend.id] });
    try {
      const reports: CatchUpReport[] = [];
      world.client.on('catch-up', (r) => reports.push(r));
      await world.client.start();
      await until(() => reports.length === 1);
      // Every conversation has a cursor before the gap.
      const seeded = [failing401, failing500, failing404].map((g) => server.post(g.id, friend.id, 'seen').id);
      await world.received([...seeded, ...world.publish(1, 'seen')]);

      const reported = nextEvent(world.client, 'catch-up', (r) => r.failures.length > 0);
      server.dropConnections();
      const healthy = world.publish(2, 'healthy'); // the FaultWorld group and the DM thread
      const stuck = [failing401, failing500, failing404].map((g) => server.post(g.id, friend.id, 'missed').id);
      server.failNextRest({ status: 401, pathPrefix: `/groups/${failing401.id}/messages` });
      server.failNextRest({ status: 500, times: 5, pathPrefix: `/groups/${failing500.id}/messages` });
      server.failNextRest({ status: 404, pathPrefix: `/groups/${failing404.id}/messages` });
      const report = await reported;

      const byGroup = new Map(report.failures.map((f) => [f.id, f.error]));
      assert.deepEqual(new Set(byGroup.keys()), new Set([failing401.id, failing500.id, failing404.id]));
      for (const [id, status] of [[failing401.id, 401], [failing500.id, 500], [failing404.id, 404]] as const) {
        const error = byGroup.get(id);
        assert.ok(error instanceof ApiError, `${id}: ${String(error)}`);
        assert.equal(error.status, status);
      }
      // The others were caught up by that same pass, and the token was never doubted.
      assert.equal(report.delivered, healthy.length);
      assert.ok(healthy.every((id) => world.delivered.get(id) === 1));
      assert.notEqual(world.client.state, 'failed');
      assert.ok(!world.errors.some((e) => e instanceof AuthenticationError));
      // A later pass retries the three from their cursors.
      await world.received(stuck);
      assert.deepEqual(world.duplicates(), []);
    } finally {
      await world.close();
    }
  });
});
