import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createGroupMeServer, type GroupMeServer, type SimGroup, type SimUser } from '../../src/testing/index.js';
import {
  assertShapedLike,
  closeClients,
  got,
  keys,
  rawClient,
  receive,
  sample,
  subscribe,
  until,
  type RawClient,
} from './helpers.js';

type Data = Record<string, unknown>;
const subjectOf = (data: Data | undefined): Data => data!.subject as Data;
/** `event.data` of a system message whose event has this type. */
const noticeOf = (data: Data, type: string): Data | undefined => {
  const event = subjectOf(data)?.event as { type: string; data: Data } | undefined;
  return event?.type === type ? event.data : undefined;
};

describe('driver methods publish sample-shaped payloads on the right channels', { timeout: 20_000 }, () => {
  let server: GroupMeServer;
  let me: SimUser;
  let bob: SimUser;
  let carol: SimUser;
  let group: SimGroup;
  let chatId: string;
  let dmChannel: string;
  let mine: RawClient;
  let bobs: RawClient;
  let carols: RawClient;

  before(async () => {
    server = await createGroupMeServer({ pingIntervalMs: 0 });
    me = server.addUser({ name: 'Me' });
    bob = server.addUser({ name: 'Bob', avatarUrl: 'https://i.groupme.com/200x200.jpeg.bob' });
    carol = server.addUser({ name: 'Carol' });
    group = server.addGroup({ name: 'G', members: [me.id, bob.id, carol.id], states: { [carol.id]: 'exited' } });
    chatId = server.addChat(me.id, bob.id).id;
    dmChannel = `/direct_message/${chatId.replace('+', '_')}`;
    mine = rawClient(server, me.token);
    bobs = rawClient(server, bob.token);
    carols = rawClient(server, carol.token);
    for (const [raw, channel] of [
      [mine, `/user/${me.id}`], [mine, `/group/${group.id}`], [mine, dmChannel],
      [bobs, `/user/${bob.id}`], [carols, `/user/${carol.id}`],
    ] as const) {
      assert.equal(await subscribe(raw, channel), 'ok');
    }
  });
  after(async () => {
    closeClients();
    await server.close();
  });

  it('post: line.create on every active member\'s /user channel, the sender\'s too', async () => {
    const message = server.post(group.id, bob.id, 'hi');
    const [forMe] = await receive(mine, `/user/${me.id}`, (d) => subjectOf(d).id === message.id);
    const [forBob] = await receive(bobs, `/user/${bob.id}`, (d) => subjectOf(d).id === message.id);
    assert.deepEqual(forMe, forBob);
    assertShapedLike(forMe, sample('line.create.2.json'), 'line.create');
    assertShapedLike(subjectOf(forMe), sample('line.create.2.json').subject, 'line.create subject');
    assert.equal(forMe!.alert, 'Bob: hi');
    assert.deepEqual(
      { ...subjectOf(forMe) },
      {
        attachments: [], avatar_url: bob.avatarUrl, created_at: message.created_at, deleted_at: null, deletion_actor: null,
        group_id: group.id, id: message.id, location: { lat: '', lng: '', name: null }, name: 'Bob', parent_id: null,
        picture_url: null, pinned_at: null, pinned_by: null, sender_id: bob.id, sender_type: 'user',
        source_guid: message.source_guid, system: false, text: 'hi', updated_at: null, user_id: bob.id,
      },
    );
    assert.match(message.id, /^\d{18}$/);
    assert.match(message.source_guid, /^[0-9a-f]{32}$/);
    assert.ok(Math.abs(message.created_at - Date.now() / 1000) < 600, 'created_at in seconds');
    assert.ok(Math.abs((forMe!.received_at as number) - Date.now()) < 600_000, 'received_at in ms');
    // The returned message is what REST serves.
    assert.deepEqual(server.message(message.id), message);
  });

  it('post: an exited member gets nothing, and a non-member cannot post', async () => {
    server.post(group.id, me.id, 'not for carol');
    server.sendDirectMessage(me.id, carol.id, 'marker');
    // Same channel, same order: once the marker is in, the post would have been too.
    await receive(carols, `/user/${carol.id}`, (d) => subjectOf(d).text === 'marker');
    assert.ok(!got(carols, `/user/${carol.id}`).some((d) => d.type === 'line.create'));
    assert.throws(() => server.post(group.id, carol.id, 'let me in'), /not an active member/);
  });

  it('post: attachments and a given source_guid are kept', async () => {
    const attachments = [{ type: 'image', url: 'https://i.groupme.com/1x1.png' }, { type: 'mentions', user_ids: ['-1'], loci: [[0, 4]] }];
    const message = server.post(group.id, me.id, '@all look', { attachments, sourceGuid: 'my-guid-1' });
    const [line] = await receive(mine, `/user/${me.id}`, (d) => subjectOf(d).id === message.id);
    assert.deepEqual(subjectOf(line).attachments, attachments);
    assert.equal(subjectOf(line).source_guid, 'my-guid-1');
    attachments.length = 0; // the world keeps its own copy
    assert.equal(server.message(message.id).attachments.length, 2);
  });

  it('sendDirectMessage: direct_message.create on both users\' /user channels, chat_id lo+hi', async () => {
    const message = server.sendDirectMessage(bob.id, me.id, 'hola');
    const [forMe] = await receive(mine, `/user/${me.id}`, (d) => subjectOf(d).id === message.id);
    const [forBob] = await receive(bobs, `/user/${bob.id}`, (d) => subjectOf(d).id === message.id);
    assert.deepEqual(forMe, forBob);
    assertShapedLike(forMe, sample('direct_message.create.1.json'), 'direct_message.create');
    assertShapedLike(subjectOf(forMe), sample('direct_message.create.1.json').subject, 'direct_message.create subject');
    assert.equal(subjectOf(forMe).chat_id, chatId);
    assert.equal(subjectOf(forMe).recipient_id, me.id);
    assert.equal(subjectOf(forMe).sender_id, bob.id);
    assert.equal(forMe!.alert, 'Bob: hola');
    // REST spells the thread conversation_id.
    assert.equal(message.conversation_id, chatId);
    assert.ok(!('chat_id' in message));
  });

  it('react: favorite on the group channel, like.create on the author\'s /user channel', async () => {
    const message = server.post(group.id, me.id, 'rate me');
    const returned = server.react(bob.id, message.id, '👍');
    const [favorite] = await receive(mine, `/group/${group.id}`, (d) => d.type === 'favorite');
    const [like] = await receive(mine, `/user/${me.id}`, (d) => d.type === 'like.create');
    assert.deepEqual(favorite, returned);
    assertShapedLike(favorite, sample('favorite.1.json'), 'favorite');
    assertShapedLike(subjectOf(favorite), sample('favorite.1.json').subject, 'favorite subject');
    assertShapedLike(subjectOf(favorite).line, (sample('favorite.1.json').subject as Data).line, 'favorite line');
    assertShapedLike(like, sample('like.create.1.json'), 'like.create');
    assertShapedLike(subjectOf(like), sample('like.create.1.json').subject, 'like.create subject');
    assertShapedLike(subjectOf(like).line, (sample('like.create.1.json').subject as Data).line, 'like.create line');
    assert.deepEqual(subjectOf(like).reactions, [{ type: 'unicode', code: '👍', user_ids: [bob.id] }]);
    assert.deepEqual(subjectOf(like).user_reaction, { type: 'unicode', code: '👍', user_ids: [bob.id] });
    assert.equal(subjectOf(like).user_id, bob.id);
    assert.equal(like!.alert, 'Bob reacted 👍 to rate me');
    assert.deepEqual(server.message(message.id).favorited_by, [bob.id]);
    assert.deepEqual(server.message(message.id).reactions, [{ type: 'unicode', code: '👍', user_ids: [bob.id] }]);
  });

  it('react to your own message: favorite only; unreact: favorite with what remains', async () => {
    const message = server.post(group.id, me.id, 'self');
    server.react(me.id, message.id);
    server.react(bob.id, message.id);
    server.unreact(me.id, message.id);
    const favorites = await receive(mine, `/group/${group.id}`, (d) => (subjectOf(d).line as Data).id === message.id, 3);
    assert.deepEqual(favorites.map((f) => subjectOf(f).reactions), [
      [{ type: 'unicode', code: '❤️', user_ids: [me.id] }],
      [{ type: 'unicode', code: '❤️', user_ids: [me.id, bob.id] }],
      [{ type: 'unicode', code: '❤️', user_ids: [bob.id] }],
    ]);
    assert.deepEqual((subjectOf(favorites[2]).line as Data).favorited_by, [bob.id]);
    server.sendDirectMessage(bob.id, me.id, 'marker after reactions');
    await receive(mine, `/user/${me.id}`, (d) => subjectOf(d).text === 'marker after reactions');
    const likes = got(mine, `/user/${me.id}`).filter((d) => d.type === 'like.create' && (subjectOf(d).line as Data).id === message.id);
    assert.deepEqual(likes.map((l) => subjectOf(l).user_id), [bob.id], 'only bob\'s reaction notified me');
  });

  it('react in a DM: favorite on the /direct_message channel', async () => {
    const message = server.sendDirectMessage(me.id, bob.id, 'dm me a heart');
    server.react(bob.id, message.id);
    const [favorite] = await receive(mine, dmChannel, (d) => d.type === 'favorite');
    assert.equal((subjectOf(favorite).line as Data).chat_id, chatId);
    assert.equal((subjectOf(favorite).line as Data).id, message.id);
  });

  it('editMessage: message.update on the conversation channel; deleteMessage: a tombstone', async () => {
    const message = server.post(group.id, bob.id, 'tpyo');
    const returnedUpdate = server.editMessage(message.id, 'typo');
    const [update] = await receive(mine, `/group/${group.id}`, (d) => d.type === 'message.update');
    assert.deepEqual(update, returnedUpdate, 'the return value is what the channel got');
    assertShapedLike(update, sample('message.update.1.json'), 'message.update');
    assertShapedLike(subjectOf(update), sample('message.update.1.json').subject, 'message.update subject');
    assert.equal(subjectOf(update).text, 'typo');
    assert.equal(typeof subjectOf(update).updated_at, 'number');

    server.deleteMessage(message.id);
    const [deleted] = await receive(mine, `/group/${group.id}`, (d) => d.type === 'message.deleted');
    assertShapedLike(deleted, sample('message.deleted.1.json'), 'message.deleted');
    assertShapedLike(subjectOf(deleted), sample('message.deleted.1.json').subject, 'message.deleted subject');
    assert.equal(subjectOf(deleted).text, 'This message was deleted');
    assert.equal(subjectOf(deleted).deletion_actor, 'sender');
    assert.match(subjectOf(deleted).deleted_at as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    assert.equal(server.message(message.id).text, 'This message was deleted');
  });

  it('edits and deletions in a group also reach every active member\'s /user channel as system messages', async () => {
    const message = server.post(group.id, bob.id, 'first draft', { attachments: [{ type: 'emoji', placeholder: '☃', charmap: [[1, 2]] }] });
    const edit = server.editMessage(message.id, 'second draft');
    const removal = server.deleteMessage(message.id);
    const isNotice = (type: string) => (d: Data): boolean =>
      d.type === 'line.create' && noticeOf(d, type)?.message_id === message.id;

    const [editForMe] = await receive(mine, `/user/${me.id}`, isNotice('message.update'));
    const [editForBob] = await receive(bobs, `/user/${bob.id}`, isNotice('message.update'));
    assert.deepEqual(editForMe, edit.notice);
    assert.deepEqual(editForBob, edit.notice);
    const editSubject = subjectOf(editForMe);
    assert.deepEqual(keys(editSubject), [...keys(sample('line.create.2.json').subject), 'event'].sort());
    assert.deepEqual(
      [editSubject.sender_id, editSubject.user_id, editSubject.sender_type, editSubject.system, editSubject.group_id],
      ['system', 'system', 'system', true, group.id],
    );
    assert.equal(editSubject.text, 'Bob edited a message.');
    assert.equal(editForMe!.alert, 'GroupMe: Bob edited a message.');
    assert.deepEqual(editSubject.event, {
      type: 'message.update',
      data: {
        message_id: message.id,
        sender_id: bob.id,
        updated_at: server.message(message.id).updated_at,
        message: { text: 'second draft', attachments: message.attachments },
      },
    });
    assert.equal(typeof (editSubject.event as { data: Data }).data.updated_at, 'number', 'seconds');
    assert.ok(Math.abs((editSubject.created_at as number) - Date.now() / 1000) < 600, 'created_at in seconds');
    assert.match(editSubject.id as string, /^\d{18}$/);
    assert.ok(BigInt(editSubject.id as string) > BigInt(message.id), 'a fresh, larger message id');

    const [removalForMe] = await receive(mine, `/user/${me.id}`, isNotice('message.deleted'));
    await receive(bobs, `/user/${bob.id}`, isNotice('message.deleted'));
    assert.deepEqual(removalForMe, removal.notice);
    const removalSubject = subjectOf(removalForMe);
    assert.equal(removalSubject.text, 'Bob deleted a message.');
    assert.ok(BigInt(removalSubject.id as string) > BigInt(editSubject.id as string), 'ids keep increasing');
    assert.deepEqual(removalSubject.event, {
      type: 'message.deleted',
      data: { message_id: message.id, deleted_at: server.message(message.id).deleted_at, deletion_actor: 'sender' },
    });
    assert.match(String((removalSubject.event as { data: Data }).data.deleted_at), /^\d{4}-\d\d-\d\dT/, 'an ISO string');

    // The return value is still the conversation channel's payload; the notice rides along unseen.
    assert.equal(edit.type, 'message.update');
    assert.equal(removal.type, 'message.deleted');
    assert.ok(!Object.keys(edit).includes('notice'));

    // An exited member hears nothing; the system messages are not stored in the history.
    server.sendDirectMessage(me.id, carol.id, 'marker after the edits');
    await receive(carols, `/user/${carol.id}`, (d) => subjectOf(d).text === 'marker after the edits');
    assert.ok(!got(carols, `/user/${carol.id}`).some((d) => d.type === 'line.create'));
    assert.throws(() => server.message(editSubject.id as string), /No message/);
    assert.throws(() => server.message(removalSubject.id as string), /No message/);
  });

  it('edits and deletions in a DM reach both users\' /user channels as direct_message.create system messages', async () => {
    const message = server.sendDirectMessage(bob.id, me.id, 'dm draft');
    const edit = server.editMessage(message.id, 'dm final');
    const [update] = await receive(mine, dmChannel, (d) => d.type === 'message.update' && subjectOf(d).id === message.id);
    assert.deepEqual(update, edit);
    const isNotice = (type: string) => (d: Data): boolean =>
      d.type === 'direct_message.create' && noticeOf(d, type)?.message_id === message.id;
    const [forMe] = await receive(mine, `/user/${me.id}`, isNotice('message.update'));
    const [forBob] = await receive(bobs, `/user/${bob.id}`, isNotice('message.update'));
    assert.deepEqual(forMe, edit.notice);
    assert.deepEqual(forBob, edit.notice);
    assertShapedLike(forMe, sample('direct_message.create.system.message.pinned.1.json'), 'DM system message');
    const subject = subjectOf(forMe);
    assert.deepEqual(keys(subject), keys(sample('direct_message.create.system.message.pinned.1.json').subject));
    assert.deepEqual([subject.sender_id, subject.user_id, subject.sender_type, subject.chat_id, subject.recipient_id], ['system', 'system', 'system', chatId, me.id]);
    assert.ok(!('system' in subject), 'a DM has no system field');
    assert.equal(subject.text, 'Bob edited a message.');
    assert.deepEqual((subject.event as { data: Data }).data.message, { text: 'dm final', attachments: [] });

    const removal = server.deleteMessage(message.id);
    const [removed] = await receive(bobs, `/user/${bob.id}`, isNotice('message.deleted'));
    assert.deepEqual(removed, removal.notice);
    assert.equal((subjectOf(removed).event as { data: Data }).data.message_id, message.id);
    assert.throws(() => server.message(subject.id as string), /No message/);
  });

  it('typing: on the group channel, or the DM channel given a+b or a_b', async () => {
    server.typing(bob.id, group.id);
    server.typing(bob.id, chatId);
    server.typing(bob.id, chatId.replace('+', '_'));
    const [inGroup] = await receive(mine, `/group/${group.id}`, (d) => d.type === 'typing');
    const inDm = await receive(mine, dmChannel, (d) => d.type === 'typing', 2);
    assertShapedLike(inGroup, sample('typing.1.json'), 'typing');
    assert.equal(inGroup!.user_id, bob.id);
    assert.deepEqual(inDm.map((d) => d.user_id), [bob.id, bob.id]);
  });

  it('readReceipt: read_receipt.create on the DM channel', async () => {
    const message = server.sendDirectMessage(me.id, bob.id, 'read me');
    const returned = server.readReceipt(bob.id, chatId, message.id);
    const [receipt] = await receive(mine, dmChannel, (d) => d.type === 'read_receipt.create');
    assert.deepEqual(receipt, returned);
    assertShapedLike(receipt, sample('read_receipt.create.1.json'), 'read_receipt.create');
    assertShapedLike(subjectOf(receipt), sample('read_receipt.create.1.json').subject, 'read_receipt subject');
    assert.deepEqual({ ...subjectOf(receipt), read_at: 0 }, { id: message.id, chat_id: chatId, message_id: message.id, user_id: bob.id, read_at: 0 });
  });

  it('systemEvent: a system line.create carrying event', async () => {
    const event = { type: 'group.name_change', data: { user: { id: Number(bob.id), nickname: 'Bob' }, name: 'Pals' } };
    const message = server.systemEvent(group.id, event, 'Bob changed the group name to Pals');
    const [line] = await receive(mine, `/user/${me.id}`, (d) => subjectOf(d).id === message.id);
    assert.deepEqual(keys(subjectOf(line)), [...keys(sample('line.create.2.json').subject), 'event'].sort());
    const subject = subjectOf(line);
    assert.deepEqual([subject.sender_id, subject.user_id, subject.sender_type, subject.system], ['system', 'system', 'system', true]);
    assert.deepEqual(subject.event, event);
    assert.equal(line!.alert, 'GroupMe: Bob changed the group name to Pals');
  });

  it('addMember: membership.create to the added user, then the announce.added system message', async () => {
    const dave = server.addUser({ name: 'Dave' });
    const daves = rawClient(server, dave.token);
    assert.equal(await subscribe(daves, `/user/${dave.id}`), 'ok');
    const { membership, announcement } = server.addMember(group.id, dave.id, bob.id);
    const [created, line] = await receive(daves, `/user/${dave.id}`, () => true, 2);
    assert.deepEqual(created, membership);
    assert.equal(created!.type, 'membership.create');
    assertShapedLike(created, sample('membership.create.1.json'), 'membership.create');
    assertShapedLike(subjectOf(created), sample('membership.create.1.json').subject, 'membership.create subject');
    assert.equal(subjectOf(created).id, group.id);
    assert.equal(created!.alert, 'You\'ve been added to "G" with Bob.');
    assert.equal(line!.type, 'line.create');
    assert.equal(subjectOf(line).id, announcement.id);
    const event = subjectOf(line).event as Data;
    assert.equal(event.type, 'membership.announce.added');
    assertShapedLike(event.data, sample('event.membership.announce.added.1.json').data, 'announce.added data');
    assert.deepEqual(event.data, { added_users: [{ id: Number(dave.id), nickname: 'Dave' }], adder_user: { id: Number(bob.id), nickname: 'Bob' } });
    assert.equal(await subscribe(daves, `/group/${group.id}`), 'ok', 'now an active member');
  });

  it('publishRaw: anything, as-is', async () => {
    const junk: unknown[] = ['just a string', 42, [1, 2], { type: 'line.create', subject: null }, { type: 'poll.sparkles', subject: { id: 1 } }];
    for (const data of junk) server.publishRaw(`/user/${me.id}`, data);
    await server.flush();
    await until(() => junk.every((j) => got(mine, `/user/${me.id}`).some((d) => JSON.stringify(d) === JSON.stringify(j))), 'junk');
  });

  it('ping: {type: "ping"} on every channel with a subscriber, now', async () => {
    const channels = server.ping();
    const subscribed = new Set(server.subscribeLog.filter((row) => row.ok).map((row) => row.channel));
    assert.deepEqual(new Set(channels), subscribed);
    for (const channel of [`/user/${me.id}`, `/group/${group.id}`, dmChannel, `/user/${bob.id}`, `/user/${carol.id}`]) assert.ok(subscribed.has(channel));
    for (const channel of [`/user/${me.id}`, `/group/${group.id}`, dmChannel]) {
      const [ping] = await receive(mine, channel, (d) => d.type === 'ping');
      assert.deepEqual(ping, sample('ping.1.json'));
    }
  });
});

describe('pings are opt-in', { timeout: 10_000 }, () => {
  // setInterval is mocked, so an hour of server time passes at once (faye uses none).
  for (const [label, options, expected] of [
    ['none by default, however long the wait', {}, 0],
    ['every pingIntervalMs when asked', { pingIntervalMs: 30_000 }, 120],
  ] as const) {
    it(label, async (t) => {
      t.mock.timers.enable({ apis: ['setInterval'] });
      const server = await createGroupMeServer(options);
      try {
        const me = server.addUser({ name: 'Me' });
        const other = server.addUser({ name: 'Other' });
        const raw = rawClient(server, me.token);
        assert.equal(await subscribe(raw, `/user/${me.id}`), 'ok');
        t.mock.timers.tick(60 * 60_000);
        server.sendDirectMessage(other.id, me.id, 'marker');
        await receive(raw, `/user/${me.id}`, (d) => d.type === 'direct_message.create');
        assert.equal(got(raw, `/user/${me.id}`).filter((d) => d.type === 'ping').length, expected);
      } finally {
        closeClients();
        await server.close();
      }
    });
  }
});

describe('periodic pings', { timeout: 10_000 }, () => {
  it('arrive every pingIntervalMs on subscribed channels', async () => {
    const server = await createGroupMeServer({ pingIntervalMs: 20 });
    try {
      const me = server.addUser({ name: 'Me' });
      const raw = rawClient(server, me.token);
      assert.equal(await subscribe(raw, `/user/${me.id}`), 'ok');
      const pings = await receive(raw, `/user/${me.id}`, (d) => d.type === 'ping', 3);
      assert.ok(pings.every((p) => keys(p).join() === 'type'));
    } finally {
      closeClients();
      await server.close();
    }
  });
});
