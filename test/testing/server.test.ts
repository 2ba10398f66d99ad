import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import faye, { type BayeuxMessage, type Client, type ExtensionCallback, type FayeError } from 'faye';
import { createGroupMeServer, type GroupMeServer, type SimGroup, type SimUser } from '../../src/testing/index.js';
import { tearDownFayeClient } from '../../src/transport/teardown.js';

/** A bare faye client with GroupMe's auth extension, the way the community script does it. */
function rawClient(server: GroupMeServer, token: string | null, ext: Record<string, unknown> = {}): Client {
  const client = new faye.Client(server.pushUrl, { retry: 1 });
  client.addExtension({
    outgoing(message: BayeuxMessage, callback: ExtensionCallback) {
      if (message.channel === '/meta/subscribe' || !message.channel.startsWith('/meta/')) {
        message.ext = { ...ext, ...(token ? { access_token: token } : {}) };
      }
      callback(message);
    },
  });
  return client;
}

function settle(thenable: { then(ok: () => void, fail: (e: FayeError) => void): void }): Promise<string> {
  return new Promise((resolve) => thenable.then(() => resolve('ok'), (e) => resolve(`${e.code ?? ''}:${e.message ?? ''}`)));
}

async function get(server: GroupMeServer, path: string, token: string): Promise<{ status: number; body: unknown }> {
  const send = (): Promise<Response> => fetch(`${server.apiUrl}${path}`, { headers: { 'X-Access-Token': token } });
  // After a restart, fetch's pool may still hold a socket the server closed: one retry, as any client does.
  const res = await send().catch(send);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('the look-alike server on its own', { timeout: 20_000 }, () => {
  let server: GroupMeServer;
  let me: SimUser;
  let bob: SimUser;
  let group: SimGroup;
  const clients: Client[] = [];

  before(async () => {
    server = await createGroupMeServer({ pingIntervalMs: 0 });
    me = server.addUser({ name: 'Me' });
    bob = server.addUser({ name: 'Bob' });
    group = server.addGroup({ name: 'G', members: [me.id, bob.id] });
  });
  after(async () => {
    for (const client of clients) tearDownFayeClient(client);
    await server.close();
  });

  it('enforces GroupMe subscribe auth for any faye client', async () => {
    const good = rawClient(server, me.token);
    const none = rawClient(server, null);
    clients.push(good, none);
    assert.equal(await settle(good.subscribe(`/user/${me.id}`, () => undefined)), 'ok');
    assert.equal(await settle(good.subscribe(`/group/${group.id}`, () => undefined)), 'ok');
    assert.equal(await settle(good.subscribe(`/user/${bob.id}`, () => undefined)), '403:Forbidden channel');
    assert.equal(await settle(good.subscribe('/group/999', () => undefined)), '403:Forbidden channel');
    assert.equal(await settle(none.subscribe(`/user/${me.id}`, () => undefined)), '401:Access token authentication failed');
  });

  it('refuses publishes without a token and forged internal markers', async () => {
    const anonymous = rawClient(server, null, { groupme_push_sim_internal: 'guess' });
    clients.push(anonymous);
    assert.equal(await settle(anonymous.publish(`/user/${me.id}`, { type: 'line.create' })), '401:Access token authentication failed');
    const member = rawClient(server, me.token);
    clients.push(member);
    assert.equal(await settle(member.publish(`/group/${group.id}`, { type: 'typing', user_id: me.id })), 'ok');
  });

  it('serves history the way GroupMe pages it', async () => {
    const ids = [0, 1, 2, 3].map((i) => server.post(group.id, bob.id, `h${i}`).id);
    const texts = (body: unknown): unknown[] =>
      ((body as { response: { messages: Array<{ text: unknown }> } }).response.messages).map((m) => m.text);
    assert.deepEqual(texts((await get(server, `/groups/${group.id}/messages?after_id=${ids[0]}&limit=2`, me.token)).body), ['h1', 'h2']);
    assert.deepEqual(texts((await get(server, `/groups/${group.id}/messages?before_id=${ids[3]}&limit=2`, me.token)).body), ['h2', 'h1']);
    assert.deepEqual(texts((await get(server, `/groups/${group.id}/messages?since_id=${ids[0]}&limit=2`, me.token)).body), ['h3', 'h2']);
    assert.equal((await get(server, `/groups/${group.id}/messages?after_id=${ids[3]}`, me.token)).status, 304);
    assert.equal((await get(server, '/users/me', 'wrong')).status, 401);
    const stranger = server.addUser({ name: 'Stranger' });
    assert.equal((await get(server, `/groups/${group.id}/messages`, stranger.token)).status, 403);
  });

  it('keeps its world across a restart on the same port', async () => {
    const port = server.port;
    await server.restart();
    assert.equal(server.port, port);
    const res = await get(server, '/users/me', me.token);
    assert.equal((res.body as { response: { id: string } }).response.id, me.id);
  });
});
