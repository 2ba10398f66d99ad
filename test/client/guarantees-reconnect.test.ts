// Delivery guarantees, point 4 of the specification: one outage, one step.
//  - one dropConnections() on a connected client: exactly one `reconnecting` state event
//    before it is `connected` again;
//  - the push server unreachable for a while: each failed reconnect attempt yields exactly
//    one `reconnecting` state event, and no `error` event is a ClientStoppedError;
//  - after the client ends `failed` (revoked token): the look-alike reports 0 connected
//    clients, iterators have ended, and stop() afterwards resolves.
//
// "Unreachable" is made with a TCP relay in front of the look-alike's push endpoint (see
// Relay in test/support/guarantees.ts): cut, it accepts each connection and closes it at
// once, logging it. A reconnect attempt opens at least one connection before it can fail,
// so "one `reconnecting` per failed attempt" reads, without any timing: between two
// consecutive `reconnecting` events, the relay saw at least one connection. The test checks
// that no failure is reported twice (two `reconnecting` in a row with no connection between
// them, as a fresh faye client's first failure once was), and that no `error` event and no
// `reconnecting` state carries a ClientStoppedError: internal transport swaps are not stops.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthenticationError, ClientStoppedError, PushClient, type GroupMePushError, type StateChange } from '../../src/index.js';
import { createGroupMeServer } from '../../src/testing/index.js';
import { QUICK, Relay, Scene, settleWithin, track, waitFor, within } from '../support/guarantees.js';
import { nextEvent } from '../support/wait.js';

describe('guarantees: one outage, one step (point 4)', { timeout: 30_000 }, () => {
  it('one dropConnections() yields exactly one `reconnecting` before `connected` (three times over)', async () => {
    const scene = await Scene.create();
    try {
      const { client, server, group, friend } = scene;
      await scene.start();
      for (let round = 1; round <= 3; round++) {
        const from = scene.states.length;
        server.dropConnections();
        await waitFor(() => scene.states.slice(from).some((s) => s.current === 'connected'), `round ${round}: connected again`);
        // Positive marker: a message published now is delivered, so the client is through.
        const id = server.post(group.id, friend.id, `round ${round}`).id;
        await scene.received([id], `round ${round}: a message after the reconnect`);
        const steps = scene.states.slice(from).map((s) => `${s.current} (${s.reason})`);
        assert.deepEqual(
          scene.states.slice(from).map((s) => s.current),
          ['reconnecting', 'connected'],
          `round ${round}: one reconnecting step per outage, got ${steps.join(' → ')}`,
        );
      }
      assert.ok(!scene.errors.some((e) => e instanceof ClientStoppedError), 'no ClientStoppedError while reconnecting');
    } finally {
      await scene.close();
    }
  });

  it('while the push server is unreachable, each failed attempt yields one `reconnecting`, and no ClientStoppedError', async () => {
    // The client paces REST as QUICK does (500/s); GroupMe's limiter would measure itself.
    const server = await createGroupMeServer({ rateLimitPerSecond: 0 });
    const log: string[] = [];
    const relay = await Relay.create(server.port, log);
    const me = server.addUser({ name: 'Me' });
    const friend = server.addUser({ name: 'Friend' });
    const group = server.addGroup({ name: 'G', members: [me.id, friend.id] });
    // faye's own re-handshake waits 30 s, so each of the client's attempts is one fresh faye
    // client that connects once and fails; the client's backoff alone paces the attempts.
    const client = new PushClient({ token: me.token, pushUrl: relay.pushUrl, apiUrl: server.apiUrl, ...QUICK, fayeRetrySeconds: 30 });
    const states: StateChange[] = [];
    const errors: GroupMePushError[] = [];
    const texts: string[] = [];
    client.on('state', (s) => {
      states.push(s);
      log.push(`${s.current} (${s.reason}${s.error ? `: ${s.error.name}` : ''})`);
    });
    client.on('error', (e) => errors.push(e));
    client.on('line.create', (e) => void texts.push(e.message.text ?? ''));
    try {
      await settleWithin(client.start(), 'start()');
      const from = log.length;
      relay.cut();
      const reconnecting = (): number => log.slice(from).filter((l) => l.startsWith('reconnecting')).length;
      const attempts = (): number => log.slice(from).filter((l) => l === 'connection').length;
      // The outage lasts for several attempts (a faye client may open more than one connection
      // per attempt, so both counts are waited for).
      await waitFor(() => reconnecting() >= 4 && attempts() >= 4, 'several refused reconnect attempts');
      relay.heal();
      await waitFor(() => client.state === 'connected', 'connected again once the relay heals');
      server.post(group.id, friend.id, 'back');
      await waitFor(() => texts.includes('back'), 'a message after the outage');

      const outage = log.slice(from);
      assert.ok(reconnecting() >= 2, outage.join('\n'));
      // Two `reconnecting` in a row with no attempt between them: one failure reported twice.
      const withoutAttempt = outage.flatMap((line, i) => {
        if (!line.startsWith('reconnecting')) return [];
        const previous = outage.slice(0, i).findLast((l) => l.startsWith('reconnecting') || l === 'connection');
        return previous?.startsWith('reconnecting') ? [`${previous} → ${line}`] : [];
      });
      assert.deepEqual(withoutAttempt, [], `each failed attempt yields exactly one reconnecting event; the sequence was:\n${outage.join('\n')}`);
      // One backoff step per attempt: the k-th wait is at most base × 2^k (equal jitter keeps it
      // above half of that), so a failure counted twice shows as a wait a step too long.
      const waits = states.filter((c) => c.current === 'reconnecting').map((c) => c.retryInMs);
      const { baseDelayMs, maxDelayMs } = { baseDelayMs: 50, maxDelayMs: 400, ...QUICK.reconnect };
      const tooLong = waits.flatMap((wait, k) => {
        const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** k);
        return wait !== null && wait <= ceiling && wait >= ceiling / 2 ? [] : [`attempt ${k}: ${wait} ms, expected ${ceiling / 2}-${ceiling}`];
      });
      assert.deepEqual(tooLong, [], `one backoff step per failed attempt; waits were ${waits.join(', ')}`);
      assert.deepEqual(
        errors.filter((e) => e instanceof ClientStoppedError).map((e) => e.message),
        [],
        'no `error` event during reconnects is a ClientStoppedError',
      );
      assert.ok(!states.some((s) => s.error instanceof ClientStoppedError), 'no `reconnecting` state carries a ClientStoppedError');
    } finally {
      await client.stop();
      await relay.close();
      await server.close();
    }
  });

  it('once failed (revoked token): no connection left, iterators ended, stop() resolves', async () => {
    const scene = await Scene.create();
    try {
      const { client, server, me } = scene;
      await scene.start();
      const idle = client.events(); // an iterator nobody is pulling from when the client fails
      const failed = nextEvent(client, 'state', (s) => s.current === 'failed');
      server.revokeToken(me.token);
      server.dropConnections();
      const change = await settleWithin(failed, 'the client to fail');
      assert.ok(change.error instanceof AuthenticationError);
      assert.ok(await within(() => server.connectedClients() === 0, 3_000), `connected clients: ${server.connectedClients()}`);

      const next = track(idle.next());
      const ended = await within(() => next.settled, 3_000);
      assert.ok(ended, 'an iterator of a failed client has ended: next() settles');
      if (next.outcome?.kind === 'rejected') assert.ok(next.outcome.reason instanceof AuthenticationError, String(next.outcome.reason));
      else assert.equal(next.outcome?.value.done, true);
      assert.equal((await settleWithin(idle.next(), 'a later next()')).done, true);

      await settleWithin(client.stop(), 'stop() after failed');
      assert.equal(client.state, 'stopped');
    } finally {
      await scene.close();
    }
  });
});
