import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { createGroupMeServer, type GroupMeServer, type SimGroup, type SimUser } from '../../src/testing/index.js';
import { api, closeClients, got, rawClient, receive, responseOf, subscribe, until } from './helpers.js';

type Row = Record<string, unknown>;
const textOf = (data: Row): unknown => (data.subject as Row | undefined)?.text;

// What the black hole test sends, as plain HTTP on sockets it can see: whether the server
// took a connection, and whether a request ever got an answer, are then facts, not guesses.
const accepted = new Set<number>();
diagnostics.subscribe('net.server.socket', (message) => {
  const port = (message as { socket: Socket }).socket.remotePort;
  if (port !== undefined) accepted.add(port);
});

/** How a request ended: answered with a status, or its connection closed first. */
type Outcome = `HTTP ${number}` | 'closed unanswered';

/** A GET on `agent`'s socket; `reused` tells whether it went on a connection made before. */
function getOn(agent: Agent, server: GroupMeServer, path: string, token: string): { reused: Promise<boolean>; outcome: Promise<Outcome> } {
  let reused!: (value: boolean) => void;
  const outcome = new Promise<Outcome>((resolve) => {
    const req = request(`${server.apiUrl}${path}`, { agent, headers: { 'X-Access-Token': token } }, (res) => {
      res.resume();
      resolve(`HTTP ${res.statusCode ?? 0}`);
    });
    req.on('socket', () => reused(req.reusedSocket));
    req.on('error', () => resolve('closed unanswered'));
    req.end();
  });
  return { reused: new Promise((resolve) => (reused = resolve)), outcome };
}

/**
 * A raw HTTP request on a new connection. `taken` resolves once the server has accepted the
 * connection (its `connection` listeners, the black hole's included, have run).
 */
function onNewConnection(server: GroupMeServer, text: string): { taken: Promise<void>; outcome: Promise<Outcome> } {
  const socket = connect(server.port, '127.0.0.1');
  const taken = new Promise<void>((resolve) => {
    socket.once('connect', async () => {
      // Published right before the server emits `connection`, in the same turn.
      while (!accepted.has(socket.localPort!)) await new Promise((r) => setImmediate(r));
      resolve();
    });
  });
  socket.write(text);
  const outcome = new Promise<Outcome>((resolve) => {
    socket.once('data', (chunk: Buffer) => {
      resolve(`HTTP ${Number(/^HTTP\/1\.1 (\d+)/.exec(chunk.toString())?.[1] ?? 0)}`);
      socket.destroy();
    });
    socket.once('close', () => resolve('closed unanswered'));
    socket.on('error', () => undefined);
  });
  return { taken, outcome };
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
    // One REST connection, used before the black hole, so the next request reuses it.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    assert.equal(await getOn(agent, server, '/users/me', me.token).outcome, 'HTTP 200');

    server.blackhole(true);
    server.post(group.id, bob.id, 'into the void');
    const rest = getOn(agent, server, '/users/me', me.token);
    assert.equal(await rest.reused, true, 'the request went on the connection made before');
    // New connections too: a REST request and a Bayeux handshake, each once the server took it.
    const restNew = onNewConnection(server, `GET /v3/users/me HTTP/1.1\r\nHost: x\r\nX-Access-Token: ${me.token}\r\n\r\n`);
    const handshake = JSON.stringify([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }]);
    const pushNew = onNewConnection(
      server,
      `POST /faye HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(handshake)}\r\n\r\n${handshake}`,
    );
    await Promise.all([restNew.taken, pushNew.taken]);
    const newcomer = rawClient(server, bob.token);
    const pendingSubscribe = subscribe(newcomer, `/user/${bob.id}`);
    assert.equal(server.connectedClients(), 1, 'the silent socket still looks connected');

    server.blackhole(false);
    // Lifting destroys every socket the black hole held: a request still waiting on one was
    // never answered. Had the server answered, the answer would have come, lifted or not.
    assert.equal(await pushNew.outcome, 'closed unanswered', 'a handshake on a new connection');
    assert.equal(await rest.outcome, 'closed unanswered', 'REST on a connection made before');
    assert.equal(await restNew.outcome, 'closed unanswered', 'REST on a new connection');
    agent.destroy();
    assert.equal((await api(server, '/users/me', { token: me.token })).status, 200);
    assert.equal(await pendingSubscribe, 'ok', 'the waiting client got through once its dead socket was gone');
    await until(() => server.connectedClients() === 2, 'both clients connected');
    server.post(group.id, bob.id, 'back');
    await receive(raw, `/user/${me.id}`, (d) => textOf(d) === 'back');
    // One channel, in order: had the first post been pushed, it would have come before this one.
    assert.ok(!got(raw, `/user/${me.id}`).some((d) => textOf(d) === 'into the void'));
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
