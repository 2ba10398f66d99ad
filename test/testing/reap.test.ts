import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { BayeuxMessage, ExtensionCallback } from 'faye';
import { createGroupMeServer, type GroupMeServer, type SimGroup, type SimUser } from '../../src/testing/index.js';
import { closeClients, got, rawClient, receive, subscribe, until, type RawClient } from './helpers.js';

type Row = Record<string, unknown>;

/** Every `/meta/*` reply the client received, in order, as the client saw it. */
function metaReplies(raw: RawClient): BayeuxMessage[] {
  const replies: BayeuxMessage[] = [];
  raw.client.addExtension({
    incoming(message: BayeuxMessage, callback: ExtensionCallback) {
      if (message.channel.startsWith('/meta/')) replies.push(structuredClone(message));
      callback(message);
    },
  });
  return replies;
}

/**
 * A Bayeux exchange over plain HTTP, so nothing retries behind the test's back; on a
 * connection of its own (no keep-alive), since each test restarts the server.
 */
async function bayeux(server: GroupMeServer, message: Row): Promise<Row> {
  const body = JSON.stringify([message]);
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(server.pushUrl, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let data = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (data += chunk)).on('end', () => resolve(data));
    });
    req.on('error', reject);
    req.end(body);
  });
  const replies = JSON.parse(text) as Row[];
  return replies.find((r) => r.channel === message.channel)!;
}

describe('reapSessions: GroupMe forgets Faye sessions', { timeout: 30_000 }, () => {
  let server: GroupMeServer;
  let me: SimUser;
  let bob: SimUser;
  let group: SimGroup;

  before(async () => {
    server = await createGroupMeServer();
    me = server.addUser({ name: 'Me' });
    bob = server.addUser({ name: 'Bob' });
    group = server.addGroup({ name: 'G', members: [me.id, bob.id] });
  });
  afterEach(closeClients);
  // A new faye server each time: no session is left over from the test before.
  beforeEach(() => server.restart());
  after(() => server.close());

  it('a reaped session\'s next connect and subscribe are refused with 401:<clientId>:Unknown client', async () => {
    const hello = await bayeux(server, { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] });
    const clientId = hello.clientId as string;
    const ext = { access_token: me.token };
    assert.equal((await bayeux(server, { channel: '/meta/subscribe', clientId, subscription: `/user/${me.id}`, ext })).successful, true);

    assert.equal(server.reapSessions(), 1);

    const subscribeAgain = await bayeux(server, { channel: '/meta/subscribe', clientId, subscription: `/user/${me.id}`, ext });
    assert.equal(subscribeAgain.successful, false);
    assert.equal(subscribeAgain.error, `401:${clientId}:Unknown client`, 'faye\'s own refusal: not the token\'s');
    const connect = await bayeux(server, { channel: '/meta/connect', clientId, connectionType: 'long-polling' });
    assert.equal(connect.successful, false);
    assert.equal(connect.error, `401:${clientId}:Unknown client`);
    assert.deepEqual(connect.advice, { reconnect: 'handshake' });
    // The token is fine: a new handshake and subscribe work at once.
    const again = await bayeux(server, { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] });
    assert.notEqual(again.clientId, clientId);
    const resubscribe = await bayeux(server, { channel: '/meta/subscribe', clientId: again.clientId, subscription: `/user/${me.id}`, ext });
    assert.equal(resubscribe.successful, true);
    assert.equal(server.subscribeLog.at(-2)!.error, `401:${clientId}:Unknown client`, 'the subscribe log says why too');
  });

  it('with refusal "invalid-client-id" the refusals name no client: 401::Invalid client id', async () => {
    const hello = await bayeux(server, { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] });
    const clientId = hello.clientId as string;
    const ext = { access_token: me.token };
    assert.equal((await bayeux(server, { channel: '/meta/subscribe', clientId, subscription: `/user/${me.id}`, ext })).successful, true);

    assert.equal(server.reapSessions({ refusal: 'invalid-client-id' }), 1);

    const subscribeAgain = await bayeux(server, { channel: '/meta/subscribe', clientId, subscription: `/user/${me.id}`, ext });
    assert.equal(subscribeAgain.successful, false);
    assert.equal(subscribeAgain.error, '401::Invalid client id');
    const connect = await bayeux(server, { channel: '/meta/connect', clientId, connectionType: 'long-polling' });
    assert.equal(connect.error, '401::Invalid client id');
    assert.deepEqual(connect.advice, { reconnect: 'handshake' });
    // A new session is not affected.
    const again = await bayeux(server, { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] });
    assert.equal((await bayeux(server, { channel: '/meta/subscribe', clientId: again.clientId, subscription: `/user/${me.id}`, ext })).successful, true);
  });

  /**
   * A bare faye client on a WebSocket, reaped with `closeSockets`; checks that its next
   * connect is refused and that it handshakes and gets messages anew. `heldConnectAnswered`
   * is the one thing the two socket readings disagree on.
   */
  async function reapAndRecover(closeSockets: boolean, heldConnectAnswered: boolean): Promise<void> {
    const raw = rawClient(server, me.token);
    const replies = metaReplies(raw);
    assert.equal(await subscribe(raw, `/user/${me.id}`), 'ok');
    await until(() => server.connectedClients() === 1, 'a /meta/connect held on the WebSocket');
    const oldId = replies.find((r) => r.channel === '/meta/handshake')!.clientId!;
    const logged = server.metaLog.length;
    const received = replies.length;

    assert.equal(server.reapSessions({ closeSockets }), 1);

    await until(() => replies.slice(received).some((r) => r.channel === '/meta/subscribe' && r.successful === true), 'the re-subscribe');
    const after = replies.slice(received);
    const refusal = after.find((r) => r.successful === false)!;
    assert.equal(refusal.channel, '/meta/connect', 'the very next request is refused');
    assert.equal(refusal.error, `401:${oldId}:Unknown client`);
    assert.equal(refusal.advice?.reconnect, 'handshake');
    const answeredBefore = after.slice(0, after.indexOf(refusal)).some((r) => r.channel === '/meta/connect' && r.successful);
    assert.equal(answeredBefore, heldConnectAnswered, heldConnectAnswered ? 'the held connect was answered' : 'nothing succeeded for the old session');
    const handshake = after.find((r) => r.channel === '/meta/handshake')!;
    assert.ok(after.indexOf(handshake) > after.indexOf(refusal));
    assert.equal(handshake.successful, true);
    const newId = handshake.clientId!;
    assert.notEqual(newId, oldId, 'a new clientId');

    // The server's meta log proves it: the refusal, then a second handshake for this client.
    const rows = server.metaLog.slice(logged);
    // A connect is logged when answered (on its socket, or by faye as it closed the socket).
    assert.ok(rows.some((r) => r.channel === '/meta/connect' && r.clientId === oldId && r.connectionType === 'websocket'), 'it was held on a WebSocket');
    const refusedAt = rows.findIndex((r) => r.channel === '/meta/connect' && r.error === `401:${oldId}:Unknown client`);
    assert.ok(refusedAt >= 0);
    assert.equal(rows[refusedAt]!.reconnect, 'handshake');
    assert.ok(rows.slice(refusedAt).some((r) => r.channel === '/meta/handshake' && r.ok && r.clientId === newId));
    assert.ok(server.subscribeLog.some((r) => r.clientId === newId && r.ok && r.ext?.access_token === me.token));

    // And the new session gets messages again.
    server.post(group.id, bob.id, 'after the reap');
    await receive(raw, `/user/${me.id}`, (d) => (d.subject as Row | undefined)?.text === 'after the reap');
  }

  it('by default the WebSocket stays open: the held connect is answered, the next is refused, then a new handshake', async () => {
    await reapAndRecover(false, true);
  });

  it('with closeSockets, faye closes the WebSocket; the client is refused on its next request, then handshakes anew', async () => {
    await reapAndRecover(true, false);
  });

  it('returns how many sessions it reaped; the server\'s own publisher is spared', async () => {
    assert.equal(server.reapSessions(), 0, 'no remote client: nothing to reap');
    const a = rawClient(server, me.token);
    const b = rawClient(server, bob.token);
    assert.equal(await subscribe(a, `/user/${me.id}`), 'ok');
    assert.equal(await subscribe(b, `/user/${bob.id}`), 'ok');
    assert.equal(server.reapSessions(), 2);
    await until(() => server.connectedClients() === 2, 'both clients back');
    // Publishing still works: the in-process client kept its session.
    server.post(group.id, bob.id, 'still publishing');
    await receive(a, `/user/${me.id}`, (d) => (d.subject as Row | undefined)?.text === 'still publishing');
    await receive(b, `/user/${bob.id}`, (d) => (d.subject as Row | undefined)?.text === 'still publishing');
    assert.ok(got(a, `/user/${me.id}`).length >= 1);
  });
});
