import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PushClient, type PushEvent } from '../../src/index.js';
import { createGroupMeServer, type GroupMeServer, type SimUser, type SimGroup } from '../../src/testing/index.js';
import { collect, nextEvent, until } from '../support/wait.js';

describe('PushClient end to end against the look-alike server', { timeout: 20_000 }, () => {
  let server: GroupMeServer;
  let me: SimUser;
  let alice: SimUser;
  let group: SimGroup;
  let client: PushClient;

  before(async () => {
    server = await createGroupMeServer({ pingIntervalMs: 0 });
    me = server.addUser({ name: 'Me' });
    alice = server.addUser({ name: 'Alice' });
    group = server.addGroup({ name: 'Friends', members: [me.id, alice.id] });
    server.addChat(me.id, alice.id);
    client = new PushClient({ token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl, subscribeAll: true });
    await client.start();
  });

  after(async () => {
    await client.stop();
    await server.close();
  });

  it('knows the user and holds the user, group and DM channels', () => {
    assert.equal(client.userId, me.id);
    assert.equal(client.state, 'connected');
    const paths = client.channels.map((c) => c.path).sort();
    const [lo, hi] = BigInt(me.id) < BigInt(alice.id) ? [me.id, alice.id] : [alice.id, me.id];
    assert.deepEqual(paths, [`/direct_message/${lo}_${hi}`, `/group/${group.id}`, `/user/${me.id}`].sort());
  });

  it('sends the token and a timestamp in seconds on every subscribe', () => {
    const mine = server.subscribeLog.filter((row) => row.ok);
    assert.ok(mine.length >= 3);
    for (const row of mine) {
      assert.equal(row.ext?.access_token, me.token);
      const ts = row.ext?.timestamp;
      assert.equal(typeof ts, 'number');
      assert.ok(Math.abs((ts as number) - Date.now() / 1000) < 3600, 'timestamp is in seconds');
    }
  });

  it('delivers line.create on the user channel with a typed message', async () => {
    const got = nextEvent(client, 'line.create', (e) => e.message.text === 'hello there');
    const all = nextEvent(client, 'event', (e) => e.type === 'line.create');
    server.post(group.id, alice.id, 'hello there');
    const event = await got;
    assert.equal(event.channel.kind, 'user');
    assert.equal(event.channel.id, me.id);
    assert.equal(event.message.groupId, group.id);
    assert.equal(event.message.userId, alice.id);
    assert.equal(event.message.name, 'Alice');
    assert.ok(event.message.createdAt instanceof Date);
    assert.ok(event.receivedAt instanceof Date);
    assert.equal(event.origin, 'push');
    assert.equal(typeof event.message.id, 'string');
    assert.equal((await all).type, 'line.create');
  });

  it('delivers direct_message.create with the a+b chat id', async () => {
    const got = nextEvent(client, 'direct_message.create', (e) => e.message.text === 'psst');
    server.sendDirectMessage(alice.id, me.id, 'psst');
    const event = await got;
    assert.equal(event.channel.kind, 'user');
    assert.match(event.message.chatId, /^\d+\+\d+$/);
    assert.equal(event.message.senderId, alice.id);
    assert.equal(event.message.recipientId, me.id);
  });

  it('delivers like.create on /user and favorite on /group for a reaction to my message', async () => {
    const mine = await postAndReceive(me.id, 'rate me');
    const like = nextEvent(client, 'like.create', (e) => e.message.id === mine);
    const favorite = nextEvent(client, 'favorite', (e) => e.message.id === mine);
    server.react(alice.id, mine, '👍');
    const [l, f] = await Promise.all([like, favorite]);
    assert.equal(l.channel.kind, 'user');
    assert.equal(f.channel.kind, 'group');
    assert.equal(f.channel.id, group.id);
    assert.equal(l.reactorId, alice.id);
    assert.deepEqual(l.reactions.map((r) => [r.code, [...r.userIds]]), [['👍', [alice.id]]]);
  });

  it('delivers message.update and message.deleted on the group channel', async () => {
    const id = await postAndReceive(alice.id, 'tpyo');
    const update = nextEvent(client, 'message.update', (e) => e.message.id === id);
    server.editMessage(id, 'typo');
    assert.equal((await update).message.text, 'typo');

    const deleted = nextEvent(client, 'message.deleted', (e) => e.messageId === id);
    server.deleteMessage(id);
    const tombstone = await deleted;
    assert.equal(tombstone.channel.kind, 'group');
    assert.equal(tombstone.groupId, group.id);
    assert.ok(tombstone.deletedAt instanceof Date);
    assert.equal(tombstone.deletionActor, 'sender');
  });

  it('delivers typing on the group channel and read receipts on the DM channel', async () => {
    const typing = nextEvent(client, 'typing', (e) => e.userId === alice.id);
    server.typing(alice.id, group.id);
    const t = await typing;
    assert.equal(t.channel.kind, 'group');
    assert.ok(t.startedAt instanceof Date);

    const dm = nextEvent(client, 'direct_message.create', (e) => e.message.text === 'read me');
    server.sendDirectMessage(me.id, alice.id, 'read me');
    const message = (await dm).message;
    const receipt = nextEvent(client, 'read_receipt.create', (e) => e.messageId === message.id);
    server.readReceipt(alice.id, message.chatId, message.id);
    const r = await receipt;
    assert.equal(r.channel.kind, 'direct_message');
    assert.equal(r.userId, alice.id);
    assert.ok(r.readAt instanceof Date);
  });

  it('delivers membership.create and the system message that announces it, with a typed event', async () => {
    const other = server.addGroup({ name: 'New crew', members: [alice.id] });
    const membership = nextEvent(client, 'membership.create', (e) => e.group.id === other.id);
    server.addMember(other.id, me.id, alice.id);
    assert.equal((await membership).group.name, 'New crew');

    const system = nextEvent(client, 'line.create', (e) => e.message.system && e.message.groupId === group.id);
    server.systemEvent(group.id, { type: 'group.name_change', data: { user: { id: Number(alice.id), nickname: 'Alice' }, name: 'Pals' } }, 'Alice changed the group name to Pals');
    const { message } = await system;
    assert.equal(message.senderType, 'system');
    assert.equal(message.event?.type, 'group.name_change');
    if (message.event?.type === 'group.name_change') {
      assert.equal(message.event.data.name, 'Pals');
      assert.equal(message.event.data.user?.id, alice.id);
    }
  });

  it('delivers pings as ping events on each channel', async () => {
    const pings = collect(client, 'ping');
    server.ping();
    await until(() => pings.length >= 3);
    assert.deepEqual(new Set(pings.map((p) => p.channel.kind)), new Set(['user', 'group', 'direct_message']));
  });

  it('turns unknown and malformed payloads into unknown events with the raw payload, and carries on', async () => {
    const unknowns = collect(client, 'unknown');
    const weird = [
      { type: 'reaction.sparkle', subject: { id: '1' } },
      { type: 'line.create', subject: null },
      { type: 'line.create', subject: { id: { nested: true }, group_id: [] } },
      'just a string',
      42,
      [1, 2, 3],
      { no_type: true },
    ];
    for (const data of weird) server.publishRaw(`/user/${me.id}`, data);
    await until(() => unknowns.length >= weird.length);
    assert.deepEqual(unknowns.map((e) => e.raw), weird);
    assert.equal(unknowns[0]?.originalType, 'reaction.sparkle');

    const after = nextEvent(client, 'line.create', (e) => e.message.text === 'still alive');
    server.post(group.id, alice.id, 'still alive');
    await after;
  });

  it('refuses a channel that is not yours with a SubscriptionError and stays connected', async () => {
    const stranger = server.addUser({ name: 'Stranger' });
    const secret = server.addGroup({ name: 'Secret', members: [stranger.id] });
    await assert.rejects(client.subscribeGroup(secret.id), (error: Error) => error.name === 'SubscriptionError');
    assert.equal(client.state, 'connected');
    assert.ok(!client.channels.some((c) => c.id === secret.id));
    const alive = nextEvent(client, 'line.create', (e) => e.message.text === 'after refusal');
    server.post(group.id, alice.id, 'after refusal');
    await alive;
  });

  it('isolates a listener that throws: others still get the event and an error is reported', async () => {
    const errors = collect(client, 'error');
    const boom = (): void => {
      throw new Error('listener bug');
    };
    client.on('line.create', boom);
    const other = nextEvent(client, 'line.create', (e) => e.message.text === 'isolation');
    server.post(group.id, alice.id, 'isolation');
    await other;
    client.off('line.create', boom);
    assert.equal(errors.at(-1)?.name, 'ListenerError');
    assert.equal((errors.at(-1)?.cause as Error).message, 'listener bug');
  });

  it('yields events from events() until the signal aborts', async () => {
    const controller = new AbortController();
    const seen: PushEvent[] = [];
    const loop = (async () => {
      for await (const event of client.events({ signal: controller.signal })) {
        seen.push(event);
        if (event.type === 'line.create' && event.message.text === 'three') controller.abort();
      }
    })();
    server.post(group.id, alice.id, 'one');
    server.post(group.id, alice.id, 'two');
    server.post(group.id, alice.id, 'three');
    await loop;
    const texts = seen.flatMap((e) => (e.type === 'line.create' ? [e.message.text] : []));
    assert.deepEqual(texts, ['one', 'two', 'three']);
  });

  it('never puts the token in a URL', () => {
    assert.ok(server.requestLog.length > 0);
    assert.ok(server.requestLog.every((row) => !row.tokenInUrl && row.tokenInHeader));
  });

  async function postAndReceive(authorId: string, text: string): Promise<string> {
    const got = nextEvent(client, 'line.create', (e) => e.message.text === text);
    server.post(group.id, authorId, text);
    return (await got).message.id;
  }
});
