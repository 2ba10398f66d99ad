import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { createGroupMeServer, type GroupMeServer, type SimGroup, type SimUser } from '../../src/testing/index.js';
import { api, closeClients, got, rawClient, receive, responseOf, subscribe, until } from './helpers.js';

type Row = Record<string, unknown>;
const textOf = (data: Row): unknown => (data.subject as Row | undefined)?.text;

/** Resolves with what `promise` settled to, or `'pending'` if it has not after `ms`. */
function stateAfter<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms))]);
}

describe('faults', { timeout: 30_000 }, () => {
  let server: GroupMeServer;
  let me: SimUser;
  let bob: SimUser;
  let group: SimGroup;

  before(async () => {
    server = await createGroupMeServer({ pingIntervalMs: 0 });
    me = server.addUser({ name: 'Me' });
    bob = server.addUser({ name: 'Bob' });
    group = server.addGroup({ name: 'G', members: [me.id, bob.id] });
  });
  afterEach(closeClients);
  after(() => server.close());

  it('connectedClients counts remote clients with a live session and an open connection', async () => {
    assert.equal(server.connectedClients(), 0, 'the server\'s own in-process client is not counted');
    const a = rawClient(server, me.token);
    const b = rawClient(server, bob.token);
    assert.equal(await subscribe(a, `/user/${me.id}`), 'ok');
    assert.equal(await subscribe(b, `/user/${bob.id}`), 'ok');
    await until(() => server.connectedClients() === 2, 'two clients connected');
    b.client.disconnect();
    await until(() => server.connectedClients() === 1, 'one client left');
    closeClients();
    await until(() => server.connectedClients() === 0, 'no client left');
  });

  it('restart: same port, same world; old client ids are unknown and clients re-handshake', async () => {
    const raw = rawClient(server, me.token);
    assert.equal(await subscribe(raw, `/user/${me.id}`), 'ok');
    const firstClientId = server.subscribeLog.at(-1)!.clientId;
    const rows = server.subscribeLog.length;
    const port = server.port;
    const pushUrl = server.pushUrl;

    await server.restart();
    assert.equal(server.port, port);
    assert.equal(server.pushUrl, pushUrl);
    const during = server.post(group.id, bob.id, 'while nobody was subscribed');

    // faye re-handshakes (the server no longer knows its id) and re-subscribes by itself.
    await until(() => server.subscribeLog.slice(rows).some((r) => r.ok && r.channel === `/user/${me.id}`), 're-subscribe');
    assert.notEqual(server.subscribeLog.at(-1)!.clientId, firstClientId, 'a new faye session');
    server.post(group.id, bob.id, 'after the restart');
    await receive(raw, `/user/${me.id}`, (d) => textOf(d) === 'after the restart');
    assert.ok(!got(raw, `/user/${me.id}`).some((d) => textOf(d) === 'while nobody was subscribed'), 'no replay');
    // ...but it is in the history, for a client that catches up over REST.
    const latest = responseOf<{ messages: Row[] }>(await api(server, `/groups/${group.id}/messages?limit=2`, { token: me.token }));
    assert.deepEqual(latest.messages.map((m) => m.text), ['after the restart', 'while nobody was subscribed']);
    assert.equal(server.message(during.id).text, 'while nobody was subscribed');
  });

  it('dropConnections: every socket goes at once, the server stays up, clients come back', async () => {
    const raw = rawClient(server, me.token);
    assert.equal(await subscribe(raw, `/user/${me.id}`), 'ok');
    await until(() => server.connectedClients() === 1, 'connected');
    server.dropConnections();
    await until(() => server.connectedClients() === 0, 'the connection dropped');
    assert.equal((await api(server, '/users/me', { token: me.token })).status, 200, 'still serving');
    // The faye session survives a dropped socket: the client reconnects with the same id.
    await until(() => server.connectedClients() === 1, 'the client reconnected');
    server.post(group.id, bob.id, 'after the drop');
    await receive(raw, `/user/${me.id}`, (d) => textOf(d) === 'after the drop');
  });

  it('blackhole: sockets stay open but nothing is answered or pushed; lifting it restores service', async () => {
    const raw = rawClient(server, me.token);
    assert.equal(await subscribe(raw, `/user/${me.id}`), 'ok');
    await until(() => server.connectedClients() === 1, 'connected');
    server.blackhole(true);
    server.post(group.id, bob.id, 'into the void');
    const rest = api(server, '/users/me', { token: me.token, signal: AbortSignal.timeout(400) });
    assert.equal(await rest.then(() => 'answered', (e: Error) => e.name), 'TimeoutError', 'REST hangs');
    const newcomer = rawClient(server, bob.token);
    const pendingSubscribe = subscribe(newcomer, `/user/${bob.id}`);
    assert.equal(await stateAfter(pendingSubscribe, 300), 'pending', 'a new connection gets nothing either');
    assert.equal(server.connectedClients(), 1, 'the silent socket still looks connected');
    await server.flush();
    assert.ok(!got(raw, `/user/${me.id}`).some((d) => textOf(d) === 'into the void'));

    server.blackhole(false);
    assert.equal((await api(server, '/users/me', { token: me.token })).status, 200);
    assert.equal(await pendingSubscribe, 'ok', 'the waiting client got through once its dead socket was gone');
    await until(() => server.connectedClients() === 2, 'both clients connected');
    server.post(group.id, bob.id, 'back');
    await receive(raw, `/user/${me.id}`, (d) => textOf(d) === 'back');
  });

  it('revokeToken: REST 401 at once; the connected client keeps receiving until it resubscribes', async () => {
    const eve = server.addUser({ name: 'Eve' });
    server.addChat(eve.id, bob.id);
    const raw = rawClient(server, eve.token);
    assert.equal(await subscribe(raw, `/user/${eve.id}`), 'ok');
    server.revokeToken(eve.token);
    assert.equal((await api(server, '/users/me', { token: eve.token })).status, 401);
    server.sendDirectMessage(bob.id, eve.id, 'you are still connected');
    await receive(raw, `/user/${eve.id}`, (d) => textOf(d) === 'you are still connected');
    // After a restart the client must subscribe again: now refused.
    const rows = server.subscribeLog.length;
    await server.restart();
    await until(() => server.subscribeLog.slice(rows).some((r) => r.channel === `/user/${eve.id}`), 'the resubscribe attempt');
    assert.deepEqual(
      server.subscribeLog.slice(rows).filter((r) => r.channel === `/user/${eve.id}`).map((r) => [r.ok, r.error]),
      [[false, '401::Access token authentication failed']],
    );
  });
});
