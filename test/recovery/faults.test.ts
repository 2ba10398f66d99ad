import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthenticationError, PushClient } from '../../src/index.js';
import { FAST, FaultWorld } from '../support/fault-world.js';
import { collect, nextEvent, until } from '../support/wait.js';

/** Everything published before, during and after a fault arrives exactly once. */
async function assertExactlyOnce(world: FaultWorld, before: string[], during: string[]): Promise<string[]> {
  await until(() => world.client.state === 'connected');
  const after = world.publish(2, 'after');
  await world.received([...before, ...during, ...after]);
  assert.deepEqual(world.duplicates(), []);
  return after;
}

describe('recovery from faults', { timeout: 30_000 }, () => {
  it('1. the server restarts on the same port', async () => {
    const world = await FaultWorld.create();
    try {
      await world.client.start();
      const before = world.publish(3, 'before');
      await world.received(before);
      const reconnected = nextEvent(world.client, 'catch-up');
      await world.server.restart();
      const during = world.publish(4, 'during'); // published while the client is away
      await reconnected;
      await assertExactlyOnce(world, before, during);
      assert.ok(during.every((id) => world.origins.get(id) === 'catch-up'));
      assert.deepEqual(world.transitions().slice(0, 4), ['connecting', 'connected', 'reconnecting', 'connected']);
      const change = world.states[2]!;
      assert.equal(change.previous, 'connected');
      assert.equal(typeof change.retryInMs, 'number');
      assert.ok(change.reason.length > 0);
    } finally {
      await world.close();
    }
  });

  it('2. every socket is dropped at once', async () => {
    const world = await FaultWorld.create();
    try {
      await world.client.start();
      const before = world.publish(2, 'before');
      await world.received(before);
      const reconnecting = nextEvent(world.client, 'state', (s) => s.current === 'reconnecting');
      world.server.dropConnections();
      const during = world.publish(3, 'during');
      await reconnecting;
      await assertExactlyOnce(world, before, during);
    } finally {
      await world.close();
    }
  });

  it('3. the server goes silent but keeps sockets open (black hole)', async () => {
    const world = await FaultWorld.create();
    try {
      await world.client.start();
      const before = world.publish(2, 'before');
      await world.received(before);
      const silent = nextEvent(world.client, 'state', (s) => s.current === 'reconnecting');
      world.server.blackhole(true);
      const during = world.publish(3, 'during');
      const change = await silent;
      assert.equal(change.reason, 'connection silent');
      assert.equal(change.error?.name, 'LivenessError');
      world.server.blackhole(false);
      await assertExactlyOnce(world, before, during);
    } finally {
      await world.close();
    }
  });

  it('4. the token is revoked while connected: failed for good, no retry loop', async () => {
    const world = await FaultWorld.create();
    // A witness with the same timings and a good token: each of its reconnects takes a
    // backoff delay, so once it has come back several times the failed client has had
    // every chance to try again, however slow the machine.
    const witness = new PushClient({ token: world.friend.token, pushUrl: world.server.pushUrl, apiUrl: world.server.apiUrl, ...FAST });
    // Whatever the failed client tries shows: a subscribe of its channel, or a refused REST call.
    const tries = (): number =>
      world.server.subscribeLog.filter((row) => row.channel === `/user/${world.me.id}`).length +
      world.server.requestLog.filter((row) => row.status === 401).length;
    try {
      await Promise.all([world.client.start(), witness.start()]);
      const failed = nextEvent(world.client, 'state', (s) => s.current === 'failed');
      world.server.revokeToken(world.me.token);
      let back = nextEvent(witness, 'state', (s) => s.previous === 'reconnecting' && s.current === 'connected');
      world.server.dropConnections();
      const change = await failed;
      assert.ok(change.error instanceof AuthenticationError);
      const attempts = tries();
      // Six backoff periods (more than the longest delay, 400 ms, past the verdict).
      for (let i = 0; i < 6; i++) {
        await back;
        back = nextEvent(witness, 'state', (s) => s.previous === 'reconnecting' && s.current === 'connected');
        world.server.dropConnections();
      }
      await back;
      assert.equal(tries(), attempts, 'nothing more was tried');
      assert.equal(world.client.state, 'failed');
      assert.ok(world.errors.some((e) => e instanceof AuthenticationError));
    } finally {
      await witness.stop();
      await world.close();
    }
  });

  it('5. REST answers 429 with Retry-After, then 500s, during catch-up', async () => {
    const world = await FaultWorld.create();
    try {
      await world.client.start();
      const before = world.publish(2, 'before');
      await world.received(before);
      world.server.dropConnections();
      const during = world.publish(3, 'during');
      world.server.failNextRest({ status: 429, times: 1, retryAfterSeconds: 1, pathPrefix: '/groups' });
      world.server.failNextRest({ status: 500, times: 2, pathPrefix: '/groups' });
      const report = await nextEvent(world.client, 'catch-up');
      assert.equal(report.error, null);
      await assertExactlyOnce(world, before, during);
      const statuses = world.server.requestLog.filter((r) => r.path.startsWith('/v3/groups')).length;
      assert.ok(statuses >= 4, 'the failed requests were retried');
    } finally {
      await world.close();
    }
  });

  it('6. malformed payloads and unknown types in the middle of real traffic', async () => {
    const world = await FaultWorld.create();
    try {
      await world.client.start();
      const unknowns = collect(world.client, 'unknown');
      const first = world.publish(2, 'first');
      const channel = `/user/${world.me.id}`;
      const junk: unknown[] = [null, 'text', [1], { type: 'line.create', subject: 7 }, { type: 'brand.new' }, { type: 42 }];
      for (const data of junk) world.server.publishRaw(channel, data);
      const second = world.publish(2, 'second');
      await world.received([...first, ...second]);
      await until(() => unknowns.length === junk.length);
      assert.deepEqual(unknowns.map((e) => e.raw), junk);
      assert.equal(world.client.state, 'connected');
      assert.deepEqual(world.duplicates(), []);
    } finally {
      await world.close();
    }
  });

  it('7. a listener that throws breaks nothing', async () => {
    const world = await FaultWorld.create();
    try {
      let calls = 0;
      world.client.on('line.create', () => {
        calls++;
        throw new Error('bot bug');
      });
      await world.client.start();
      const ids = world.publish(5, 'x');
      await world.received(ids);
      assert.equal(calls, 5);
      assert.equal(world.errors.filter((e) => e.name === 'ListenerError').length, 5);
      assert.equal(world.client.state, 'connected');
    } finally {
      await world.close();
    }
  });
});
