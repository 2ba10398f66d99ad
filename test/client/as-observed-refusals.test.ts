import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BayeuxMessage, ExtensionCallback, NodeAdapter } from 'faye';
import { AuthenticationError, PushClient, SessionLostError, SubscriptionError } from '../../src/index.js';
import { createGroupMeServer } from '../../src/testing/index.js';
import { tearDownFayeClient } from '../../src/transport/teardown.js';
import { bareFayeServer } from '../support/bare-faye-server.js';
import { FAST, FaultWorld } from '../support/fault-world.js';
import { collect, until } from '../support/wait.js';

// faye 1.4.3's engine, reached as the look-alike's push hub does, to forget a session.
type EngineHolder = { _server: { _engine: { destroyClient(id: string): void } } };

/**
 * A plain faye server that refuses the first subscribe to a channel matching `refuse` with
 * `401::Invalid client id` (GroupMe's wording that names no client) and forgets that
 * session, as a dead one is. Everything else is allowed; it logs each subscribe's client
 * id, channel and outcome.
 */
async function invalidatingServer(refuse: (channel: string) => boolean) {
  const log: { clientId: string; channel: string; ok: boolean }[] = [];
  let refused = false;
  let adapter: NodeAdapter | undefined;
  const server = await bareFayeServer({
    incoming(message: BayeuxMessage, callback: ExtensionCallback) {
      if (message.channel === '/meta/subscribe') {
        const channel = String(message.subscription);
        const clientId = message.clientId!;
        const refuseThis = !refused && refuse(channel);
        log.push({ clientId, channel, ok: !refuseThis });
        if (refuseThis) {
          refused = true;
          message.error = '401::Invalid client id';
          // After faye has answered: the session is dead from then on.
          setImmediate(() => (adapter as unknown as EngineHolder)._server._engine.destroyClient(clientId));
        }
      }
      callback(message);
    },
  });
  adapter = server.adapter;
  return { ...server, log };
}

// The look-alike answers REST (its default, as-observed profile); a plain faye server that
// refuses as GroupMe does stands in for the push side where a test needs a refusal the
// look-alike has no fault for.
describe('refused subscribes, judged by structure and by asking (issue #10, point 3)', { timeout: 30_000 }, () => {
  it('a first /user subscribe refused as "401::Invalid client id" is a dead session: start() handshakes again and succeeds', async () => {
    const rest = await createGroupMeServer();
    const me = rest.addUser({ name: 'Me' });
    const push = await invalidatingServer((channel) => channel === `/user/${me.id}`);
    const client = new PushClient({ token: me.token, pushUrl: push.url, apiUrl: rest.apiUrl, ...FAST, catchUp: false });
    const states = collect(client, 'state');
    const publisher = push.adapter.getClient();
    try {
      await client.start();
      assert.equal(client.state, 'connected');
      assert.ok(!states.some((s) => s.current === 'failed'));
      const own = push.log.filter((row) => row.channel === `/user/${me.id}`);
      assert.equal(own[0]!.ok, false);
      assert.ok(own.some((row) => row.ok && row.clientId !== own[0]!.clientId), '/user held on a new session');
      // The token was confirmed before the refusal was read as the session's.
      assert.ok(rest.requestLog.filter((r) => r.path === '/v3/users/me').length >= 2);
      // And the new session carries messages.
      const got = new Promise<string>((resolve) => client.once('line.create', (e) => resolve(e.message.text ?? '')));
      void publisher.publish(`/user/${me.id}`, {
        type: 'line.create',
        alert: 'x',
        received_at: Date.now(),
        subject: { id: '1001', group_id: '5', user_id: '9', sender_id: '9', name: 'F', text: 'after', created_at: 1_750_000_000, attachments: [] },
      });
      assert.equal(await got, 'after');
    } finally {
      tearDownFayeClient(publisher);
      await client.stop();
      await push.close();
      await rest.close();
    }
  });

  it('a group subscribe refused as "401::Invalid client id" rebuilds the session: subscribeGroup() resolves with the channel held anew', async () => {
    const rest = await createGroupMeServer();
    const me = rest.addUser({ name: 'Me' });
    const friend = rest.addUser({ name: 'Friend' });
    const group = rest.addGroup({ name: 'G', members: [me.id, friend.id] });
    const push = await invalidatingServer((channel) => channel === `/group/${group.id}`);
    const client = new PushClient({ token: me.token, pushUrl: push.url, apiUrl: rest.apiUrl, ...FAST, catchUp: false });
    const states = collect(client, 'state');
    try {
      await client.start();
      await client.subscribeGroup(group.id);
      assert.ok(client.channels.some((c) => c.path === `/group/${group.id}`));
      const rows = push.log.filter((row) => row.channel === `/group/${group.id}`);
      assert.equal(rows[0]!.ok, false);
      assert.ok(rows.some((row) => row.ok && row.clientId !== rows[0]!.clientId), 'the group held on a new session');
      assert.ok(!states.some((s) => s.current === 'failed'));
      await until(() => client.state === 'connected');
    } finally {
      await client.stop();
      await push.close();
      await rest.close();
    }
  });

  it('a channel that is not yours (the same 401 as a bad token) is the channel\'s refusal once /users/me and the session both answer: nothing is rebuilt', async () => {
    const world = await FaultWorld.create();
    const stranger = world.server.addUser({ name: 'Stranger' });
    const theirs = world.server.addGroup({ name: 'Not mine', members: [stranger.id, world.friend.id] });
    try {
      await world.client.start();
      const handshakes = (): number => world.server.metaLog.filter((r) => r.channel === '/meta/handshake').length;
      const before = handshakes();
      const meCalls = world.server.requestLog.filter((r) => r.path === '/v3/users/me').length;
      await assert.rejects(world.client.subscribeGroup(theirs.id), (error: unknown) => error instanceof SubscriptionError && error.status === 401);
      assert.equal(world.server.requestLog.filter((r) => r.path === '/v3/users/me').length, meCalls + 1, 'the token was checked');
      assert.equal(handshakes(), before, 'the session was not rebuilt');
      assert.deepEqual(world.transitions(), ['connecting', 'connected']);
      assert.ok(!world.client.channels.some((c) => c.path === `/group/${theirs.id}`));
      // The connection carries on.
      const ids = world.publish(1, 'still');
      await world.received(ids);
    } finally {
      await world.close();
    }
  });

  it('a subscribe refused because the token was revoked ends the client at once with AuthenticationError', async () => {
    const world = await FaultWorld.create();
    try {
      await world.client.start();
      world.server.revokeToken(world.me.token);
      await assert.rejects(world.client.subscribeGroup(world.group.id), AuthenticationError);
      assert.equal(world.client.state, 'failed');
      assert.ok(world.transitions().at(-1) === 'failed');
      assert.equal(world.server.requestLog.filter((r) => r.path === '/v3/users/me' && r.status === 401).length, 1, 'one check, no retry loop');
    } finally {
      await world.close();
    }
  });
});

describe('failed frees what stop() frees (issue #11, point 4)', { timeout: 30_000 }, () => {
  it('a REST call in flight when the client fails ends with the final error, not after its retries', async () => {
    // Retries far apart: a call that is not aborted would still be waiting when the test ends.
    const world = await FaultWorld.create({ restRetry: { retries: 3, baseDelayMs: 20_000, maxDelayMs: 20_000 } });
    try {
      await world.client.start();
      // Every listing request fails once, then waits 10-20 s to retry.
      const listed = ['/groups', '/chats', '/memberships/states'];
      for (const pathPrefix of listed) world.server.failNextRest({ status: 500, times: 10, pathPrefix });
      const listing = world.client.subscribeAll();
      const failedOnce = (path: string): boolean => world.server.requestLog.some((r) => r.path === `/v3${path}` && r.status === 500);
      await until(() => listed.filter(failedOnce).length >= 2);
      world.server.revokeToken(world.me.token);
      world.server.dropConnections();
      await assert.rejects(listing, AuthenticationError);
      await until(() => world.client.state === 'failed');
    } finally {
      await world.close();
    }
  });
});

describe('a token revoked on a quiet connection (issue #10, point 3)', { timeout: 30_000 }, () => {
  it('the refused probe is checked with /users/me: the client fails at once, with no reconnect first', async () => {
    const world = await FaultWorld.create({ catchUp: false });
    try {
      await world.client.start();
      world.server.revokeToken(world.me.token);
      // Nothing is published: only the liveness probe finds out.
      await until(() => world.client.state === 'failed');
      assert.deepEqual(world.transitions(), ['connecting', 'connected', 'failed']);
      assert.ok(world.errors.some((e) => e instanceof AuthenticationError));
      assert.ok(!world.errors.some((e) => e instanceof SessionLostError), 'not taken for a lost session');
    } finally {
      await world.close();
    }
  });
});
