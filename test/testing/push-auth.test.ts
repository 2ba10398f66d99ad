import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createGroupMeServer, type GroupMeServer, type SimGroup, type SimUser } from '../../src/testing/index.js';
import { closeClients, got, publish, rawClient, receive, subscribe } from './helpers.js';

describe('push auth: GroupMe\'s subscribe and publish rules, for any faye client', { timeout: 20_000 }, () => {
  let server: GroupMeServer;
  let me: SimUser;
  let bob: SimUser;
  let carol: SimUser;
  let group: SimGroup;
  let left: SimGroup;
  let dm: string;

  before(async () => {
    server = await createGroupMeServer({ pingIntervalMs: 0 });
    me = server.addUser({ name: 'Me' });
    bob = server.addUser({ name: 'Bob' });
    carol = server.addUser({ name: 'Carol' });
    group = server.addGroup({ name: 'G', members: [me.id, bob.id] });
    left = server.addGroup({ name: 'Left', members: [bob.id, me.id], states: { [me.id]: 'exited' } });
    dm = server.addChat(me.id, bob.id).id.replace('+', '_');
  });
  after(async () => {
    closeClients();
    await server.close();
  });

  it('accepts your own user, active group and DM channels', async () => {
    const raw = rawClient(server, me.token);
    assert.equal(await subscribe(raw, `/user/${me.id}`), 'ok');
    assert.equal(await subscribe(raw, `/group/${group.id}`), 'ok');
    assert.equal(await subscribe(raw, `/direct_message/${dm}`), 'ok');
  });

  it('names a DM channel lo_hi with the ids compared as numbers', () => {
    // The default ids mix 8 and 9 digits: string order and number order disagree.
    assert.notEqual(me.id.length, bob.id.length);
    const [lo, hi] = BigInt(me.id) < BigInt(bob.id) ? [me.id, bob.id] : [bob.id, me.id];
    assert.equal(dm, `${lo}_${hi}`);
    assert.ok(lo > hi, 'string order would have put them the other way round');
  });

  it('refuses a bad or missing token with 401, whatever the channel', async () => {
    const wrong = rawClient(server, 'not-a-token');
    const none = rawClient(server, null);
    assert.equal(await subscribe(wrong, `/user/${me.id}`), '401:Access token authentication failed');
    assert.equal(await subscribe(none, `/user/${me.id}`), '401:Access token authentication failed');
  });

  it('refuses channels that are not yours with the same 401 as a bad token, as GroupMe does', async () => {
    const raw = rawClient(server, me.token);
    const forbidden = [
      `/user/${bob.id}`,
      `/group/${left.id}`, // a membership, but not an active one
      '/group/999999999', // no such group
      `/direct_message/${[bob.id, carol.id].sort().join('_')}`, // not in the thread
      `/direct_message/${dm.split('_').reverse().join('_')}`, // hi_lo: nothing is ever published there
      '/user/*',
      '/group/**',
      '/somewhere/else',
    ];
    for (const channel of forbidden) assert.equal(await subscribe(raw, channel), '401:Access token authentication failed', channel);
  });

  it('logs every attempt with the ext the client sent and the outcome', async () => {
    const before = server.subscribeLog.length;
    const raw = rawClient(server, me.token, { timestamp: 1_751_412_575 });
    await subscribe(raw, `/user/${me.id}`);
    await subscribe(raw, `/user/${bob.id}`);
    const rows = server.subscribeLog.slice(before);
    assert.equal(rows.length, 2);
    assert.deepEqual(rows.map((r) => [r.channel, r.ok, r.error]), [
      [`/user/${me.id}`, true, null],
      [`/user/${bob.id}`, false, '401::Access token authentication failed'],
    ]);
    for (const row of rows) {
      assert.deepEqual(row.ext, { timestamp: 1_751_412_575, access_token: me.token });
      assert.equal(typeof row.clientId, 'string');
    }
    assert.deepEqual(rows.map((r) => r.ext), raw.sentSubscribes.map((m) => m.ext));
  });

  it('a revoked token fails new subscribes, but a connected client is not kicked', async () => {
    const dave = server.addUser({ name: 'Dave' });
    const shared = server.addGroup({ name: 'Shared', members: [dave.id, bob.id] });
    const raw = rawClient(server, dave.token);
    assert.equal(await subscribe(raw, `/user/${dave.id}`), 'ok');
    server.revokeToken(dave.token);
    assert.equal(await subscribe(raw, `/group/${shared.id}`), '401:Access token authentication failed');
    server.post(shared.id, bob.id, 'still here?');
    const [line] = await receive(raw, `/user/${dave.id}`);
    assert.equal((line!.subject as { text: string }).text, 'still here?');
  });

  it('client publishes need a valid token and an allowed channel; the token is not relayed', async () => {
    const listener = rawClient(server, bob.token);
    await subscribe(listener, `/group/${group.id}`);
    const member = rawClient(server, me.token);
    const anonymous = rawClient(server, null);
    const typing = { type: 'typing', user_id: me.id, started: Date.now() };
    assert.equal(await publish(anonymous, `/group/${group.id}`, typing), '401:Access token authentication failed');
    assert.equal(await publish(member, `/group/${left.id}`, typing), '401:Access token authentication failed');
    assert.equal(await publish(member, `/group/${group.id}`, typing), 'ok');
    const [relayed] = await receive(listener, `/group/${group.id}`);
    assert.deepEqual(relayed, typing);
    const envelope = listener.envelopes.find((m) => m.channel === `/group/${group.id}`);
    assert.ok(envelope && !('ext' in envelope), 'no ext, so no token, reaches other subscribers');
  });

  it('nobody can forge the server\'s own publishes', async () => {
    const listener = rawClient(server, me.token);
    await subscribe(listener, `/user/${me.id}`);
    const forger = rawClient(server, null, { groupme_push_sim_internal: 'a guess' });
    const fake = { type: 'line.create', alert: 'forged', subject: {}, received_at: Date.now() };
    assert.equal(await publish(forger, `/user/${me.id}`, fake), '401:Access token authentication failed');
    // Even with a real token, the marker buys nothing: another user's channel stays closed.
    const bobForger = rawClient(server, bob.token, { groupme_push_sim_internal: 'a guess' });
    assert.equal(await publish(bobForger, `/user/${me.id}`, fake), '401:Access token authentication failed');
    server.sendDirectMessage(bob.id, me.id, 'real');
    await receive(listener, `/user/${me.id}`, (d) => d.type === 'direct_message.create');
    assert.ok(!got(listener, `/user/${me.id}`).some((d) => d.alert === 'forged'));
  });
});
