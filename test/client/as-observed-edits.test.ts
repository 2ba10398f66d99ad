import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  Attachment,
  DirectMessageCreateEvent,
  LineCreateEvent,
  Message,
  MessageDeletedEvent,
  MessageDeletedSystemEvent,
  MessageUpdateEvent,
  MessageUpdateSystemEvent,
  PartialMessage,
  PushEvent,
  SystemEvent,
} from '../../src/index.js';
import type { MessageChangePayload } from '../../src/testing/index.js';
import { FaultWorld } from '../support/fault-world.js';
import { collect, nextEvent, until } from '../support/wait.js';

// Issue 10, point 6, over real sockets: a PushClient against the look-alike in its default
// (as-observed) profile. GroupMe tells `/user` of edits and deletions with system messages
// (`line.create` / `direct_message.create` whose `event.type` is `message.update` or
// `message.deleted`); with `subscribeAll` the conversation's channel also carries
// `message.update` / `message.deleted` push events. Each must arrive typed, with every
// field of its payload on the typed object, and none may become `unknown`.

type Json = Record<string, unknown>;

/** A new image attachment: its URL must survive into the edit's typed `message.attachments`. */
const IMAGE = { type: 'image', url: 'https://i.groupme.com/1024x768.jpeg.0123456789abcdef' };

// ---- an independent reading of the payloads --------------------------------------------
// What each raw field must become on the typed object, written out here rather than taken
// from the library's readers, so a reader that drops or mangles a field cannot agree with
// itself. A raw field with no entry fails the test: the typed view must not lose it.

type Expect = readonly [typedName: string, expected: (raw: unknown) => unknown];

const asId = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const asText = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const asUrl = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const asSeconds = (v: unknown): Date | null => (typeof v === 'number' ? new Date(v * 1000) : null);
const asIsoOrSeconds = (v: unknown): Date | null => (typeof v === 'string' ? new Date(v) : asSeconds(v));
const asIds = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : []);
const asAttachments = (v: unknown): Attachment[] =>
  (Array.isArray(v) ? v : []).map((a: Json) => {
    assert.equal(a.type, 'image', `only image attachments are expected here, not ${JSON.stringify(a)}`);
    return { type: 'image', url: a.url as string };
  });
const asReactions = (v: unknown): unknown[] =>
  (Array.isArray(v) ? v : []).map((r: Json) => ({ type: r.type, code: r.code, userIds: asIds(r.user_ids) }));
const asLocation = (v: unknown): unknown => {
  const l = v as Json | null;
  if (!l || ((l.lat === '' || l.lat == null) && (l.lng === '' || l.lng == null) && (l.name === '' || l.name == null))) return null;
  return { name: asUrl(l.name), lat: asUrl(l.lat), lng: asUrl(l.lng), foursquareCheckin: false, foursquareVenueId: null };
};

/** Every field a message subject may carry (push `line.create`, `direct_message.create`, `message.update`, `message.deleted`). */
const MESSAGE_FIELDS: Readonly<Record<string, Expect>> = {
  id: ['id', asId],
  source_guid: ['sourceGuid', asText],
  user_id: ['userId', asId],
  sender_id: ['senderId', asId],
  sender_type: ['senderType', asText],
  name: ['name', asText],
  avatar_url: ['avatarUrl', asUrl],
  text: ['text', asText],
  created_at: ['createdAt', asSeconds],
  attachments: ['attachments', asAttachments],
  favorited_by: ['favoritedBy', asIds],
  favorited_at: ['favoritedAt', asSeconds],
  reactions: ['reactions', asReactions],
  system: ['system', (v) => v === true],
  parent_id: ['parentId', asId],
  pinned_at: ['pinnedAt', asSeconds],
  pinned_by: ['pinnedBy', asId],
  updated_at: ['updatedAt', asSeconds],
  deleted_at: ['deletedAt', asIsoOrSeconds],
  deletion_actor: ['deletionActor', asText],
  location: ['location', asLocation],
  picture_url: ['pictureUrl', asUrl],
  platform: ['platform', asUrl],
  group_id: ['groupId', asId],
  // Push spells a DM thread `a+b` in `chat_id`; the typed message always says `a+b`.
  chat_id: ['chatId', (v) => (typeof v === 'string' ? v.replace('_', '+') : null)],
  recipient_id: ['recipientId', asId],
  // `event` is checked on its own, field by field, by eventFieldsReachable().
  event: ['event', (v) => (v as Json).type],
};

/** `event.data` of the system messages about edits and deletions. */
const EVENT_DATA_FIELDS: Readonly<Record<string, Expect>> = {
  message_id: ['messageId', asId],
  sender_id: ['senderId', asId],
  updated_at: ['updatedAt', asSeconds],
  deleted_at: ['deletedAt', asIsoOrSeconds],
  deletion_actor: ['deletionActor', asText],
  deleter_id: ['deleterId', asId],
  message: ['message', (v) => ({ text: asText((v as Json).text), attachments: asAttachments((v as Json).attachments) })],
};

function messageFieldsReachable(subject: Json, message: Message | PartialMessage, where: string): void {
  const typed = message as unknown as Json;
  for (const [field, value] of Object.entries(subject)) {
    const expect = MESSAGE_FIELDS[field];
    assert.ok(expect, `${where}: the payload's ${field} has no typed field to land on (${JSON.stringify(value)})`);
    const [name, read] = expect;
    const got = name === 'event' ? (typed.event as SystemEvent | null)?.type : typed[name];
    assert.deepEqual(got, read(value), `${where}: ${field} ${JSON.stringify(value)} is not reachable as ${name}`);
  }
}

function eventFieldsReachable(raw: Json, event: SystemEvent, where: string): void {
  assert.notEqual(event.type, 'unknown', `${where}: a ${String(raw.type)} system event came out unknown`);
  assert.ok(event.type !== 'unknown');
  assert.equal(event.type, raw.type);
  assert.equal(event.rawData, raw.data, `${where}: rawData is the very event.data GroupMe sent`);
  const typed = event.data as unknown as Json;
  for (const [field, value] of Object.entries(raw.data as Json)) {
    const expect = EVENT_DATA_FIELDS[field];
    assert.ok(expect, `${where}: event.data.${field} has no typed field to land on (${JSON.stringify(value)})`);
    const [name, read] = expect;
    assert.deepEqual(typed[name], read(value), `${where}: event.data.${field} ${JSON.stringify(value)} is not reachable as data.${name}`);
  }
}

/** The push-level fields every event carries. */
function baseFieldsReachable(event: PushEvent, payload: Json, channel: string, where: string): void {
  assert.equal(event.channel.path, channel, `${where}: channel`);
  assert.equal(event.origin, 'push', `${where}: origin`);
  assert.equal(event.alert, payload.alert, `${where}: alert`);
  assert.deepEqual(event.receivedAt, new Date(payload.received_at as number), `${where}: receivedAt`);
}

type Notice = LineCreateEvent | DirectMessageCreateEvent;

/**
 * Checks the system message on `/user` about one change against what the look-alike says
 * it published (`change.notice`), and returns its typed event.
 */
function checkNotice(notice: Notice, change: MessageChangePayload, userChannel: string, where: string): SystemEvent {
  const raw = notice.raw as Json;
  // The client hands over what the server published, untouched.
  assert.deepEqual(raw, change.notice, `${where}: raw is the published notice`);
  const subject = raw.subject as Json;
  baseFieldsReachable(notice, raw, userChannel, where);
  const { message } = notice;
  assert.equal(message.id, subject.id, `${where}: the notice's own id`);
  assert.notEqual(message.id, (change.subject as Json).id, `${where}: the notice has a fresh id, not the changed message's`);
  assert.equal(message.system, true);
  assert.equal(message.senderType, 'system');
  messageFieldsReachable(subject, message, where);
  const event = message.event;
  assert.ok(event, `${where}: the system message carries its event`);
  eventFieldsReachable(subject.event as Json, event, where);
  return event;
}

/** Checks a conversation channel's `message.update` / `message.deleted` against what was published. */
function checkChange(event: MessageUpdateEvent | MessageDeletedEvent, change: MessageChangePayload, channel: string, where: string): void {
  const raw = event.raw as Json;
  assert.deepEqual(raw, change, `${where}: raw is the published payload`);
  baseFieldsReachable(event, raw, channel, where);
  messageFieldsReachable(raw.subject as Json, event.message, where);
}

/**
 * A system message of GroupMe's, whatever its event became: a notice typed wrongly is then
 * caught by an assertion that says what came, not by a wait that never ends.
 */
const isSystem = (e: Notice): boolean => e.message.system;

/**
 * Bounds a wait well inside the suite's timeout, so that when an event never comes the test
 * fails saying which, and its `finally` still stops the client and closes the server (a
 * node:test timeout would leave them running and the process alive). Not a duration check.
 */
const WAIT_MS = 10_000;
async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} never arrived`)), WAIT_MS);
  });
  try {
    return await Promise.race([promise, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

/** Narrows, failing the test with what actually came. */
function asUpdate(event: SystemEvent): MessageUpdateSystemEvent {
  assert.ok(event.type === 'message.update', `expected a message.update system event, got ${event.type}`);
  return event;
}
function asDeletion(event: SystemEvent): MessageDeletedSystemEvent {
  assert.ok(event.type === 'message.deleted', `expected a message.deleted system event, got ${event.type}`);
  return event;
}

/** Waits, bounded, until every id was delivered (FaultWorld.received, with a shorter backstop). */
async function delivered(world: FaultWorld, ids: readonly string[], what: string): Promise<void> {
  await until(() => ids.every((id) => world.delivered.has(id)), WAIT_MS).catch(() => assert.fail(`${what} never arrived`));
}

/**
 * Nothing is left unchecked: posts one more group message and waits for it. Faye delivers
 * one client's messages in publish order, so whatever was published before has been
 * dispatched by then; no fixed sleep.
 */
async function barrier(world: FaultWorld, label: string): Promise<void> {
  const id = world.server.post(world.group.id, world.friend.id, label).id;
  await delivered(world, [id], `the barrier message "${label}"`);
}

describe('edits and deletions against GroupMe as observed (issue 10, point 6)', { timeout: 30_000 }, () => {
  it('a group message edited then deleted reaches /user as typed line.create system events', async () => {
    const world = await FaultWorld.create();
    const { server, client, me, friend, group } = world;
    try {
      const unknowns = collect(client, 'unknown');
      const everything = collect(client, 'event');
      const baseline = nextEvent(client, 'catch-up');
      await client.start();
      await within(baseline, 'the first catch-up');
      const own = `/user/${me.id}`;

      const original = server.post(group.id, friend.id, 'before the edit', { attachments: [IMAGE] });
      await delivered(world, [original.id], 'the original message');

      const edited = nextEvent(client, 'line.create', isSystem);
      const edit = server.editMessage(original.id, 'after the edit');
      const editNotice = await within(edited, 'the edit notice on /user');
      const update = asUpdate(checkNotice(editNotice, edit, own, 'edit notice'));
      assert.equal(editNotice.message.groupId, group.id);
      assert.equal(update.data.messageId, original.id, 'the edit names the edited message');
      assert.equal(update.data.senderId, friend.id, 'and its author');
      assert.equal(update.data.message?.text, 'after the edit', 'and carries the new text');
      assert.deepEqual(update.data.message?.attachments, [IMAGE], 'and the attachments, URLs included');
      assert.ok(update.data.updatedAt instanceof Date);

      const deleted = nextEvent(client, 'line.create', isSystem);
      const removal = server.deleteMessage(original.id);
      const deleteNotice = await within(deleted, 'the deletion notice on /user');
      const deletion = asDeletion(checkNotice(deleteNotice, removal, own, 'deletion notice'));
      assert.equal(deleteNotice.message.groupId, group.id);
      assert.equal(deletion.data.messageId, original.id, 'the deletion names the deleted message');
      assert.equal(deletion.data.deletionActor, 'sender');
      assert.deepEqual(deletion.data.deletedAt, new Date(removal.subject.deleted_at as string));
      assert.notEqual(deleteNotice.message.id, editNotice.message.id);

      await barrier(world, 'after the changes');
      assert.deepEqual(unknowns, [], 'nothing became unknown');
      assert.deepEqual(world.errors, []);
      assert.equal(client.state, 'connected');
      // Holding only /user, the client hears of the change as system messages and nothing else.
      const types = new Set(everything.map((e) => e.type));
      assert.ok(!types.has('message.update') && !types.has('message.deleted'), `types seen: ${[...types].join(', ')}`);
    } finally {
      await world.close();
    }
  });

  it('a DM edited then deleted reaches /user as typed direct_message.create system events', async () => {
    const world = await FaultWorld.create();
    const { server, client, me, friend } = world;
    try {
      const unknowns = collect(client, 'unknown');
      const baseline = nextEvent(client, 'catch-up');
      await client.start();
      await within(baseline, 'the first catch-up');
      const own = `/user/${me.id}`;

      const original = server.sendDirectMessage(friend.id, me.id, 'a DM before the edit', { attachments: [IMAGE] });
      await delivered(world, [original.id], 'the original message');
      const chatId = original.conversation_id;

      const edited = nextEvent(client, 'direct_message.create', isSystem);
      const edit = server.editMessage(original.id, 'a DM after the edit');
      const editNotice = await within(edited, 'the edit notice on /user');
      const update = asUpdate(checkNotice(editNotice, edit, own, 'DM edit notice'));
      assert.equal(editNotice.message.chatId, chatId, 'the notice is filed in the DM thread');
      assert.equal(editNotice.message.recipientId, me.id);
      assert.equal(update.data.messageId, original.id, 'the edit names the edited DM');
      assert.equal(update.data.senderId, friend.id);
      assert.equal(update.data.message?.text, 'a DM after the edit');
      assert.deepEqual(update.data.message?.attachments, [IMAGE]);

      const deleted = nextEvent(client, 'direct_message.create', isSystem);
      const removal = server.deleteMessage(original.id, 'admin');
      const deleteNotice = await within(deleted, 'the deletion notice on /user');
      const deletion = asDeletion(checkNotice(deleteNotice, removal, own, 'DM deletion notice'));
      assert.equal(deleteNotice.message.chatId, chatId);
      assert.equal(deletion.data.messageId, original.id, 'the deletion names the deleted DM');
      assert.equal(deletion.data.deletionActor, 'admin');
      assert.deepEqual(deletion.data.deletedAt, new Date(removal.subject.deleted_at as string));

      await barrier(world, 'after the DM changes');
      assert.deepEqual(unknowns, [], 'nothing became unknown');
      assert.deepEqual(world.errors, []);
      assert.equal(client.state, 'connected');
    } finally {
      await world.close();
    }
  });

  it('with subscribeAll, the conversation channels\' message.update / message.deleted arrive typed too, beside the /user notices', async () => {
    const world = await FaultWorld.create({ subscribeAll: true });
    const { server, client, me, friend, group } = world;
    try {
      const unknowns = collect(client, 'unknown');
      const updates = collect(client, 'message.update');
      const deletions = collect(client, 'message.deleted');
      const notices: Notice[] = [];
      client.on('line.create', (e) => void (e.message.event ? notices.push(e) : undefined));
      client.on('direct_message.create', (e) => void (e.message.event ? notices.push(e) : undefined));
      const baseline = nextEvent(client, 'catch-up');
      await client.start();
      await within(baseline, 'the first catch-up');
      const own = `/user/${me.id}`;
      const groupChannel = `/group/${group.id}`;
      const [lo, hi] = BigInt(me.id) < BigInt(friend.id) ? [me.id, friend.id] : [friend.id, me.id];
      const dmChannel = `/direct_message/${lo}_${hi}`;
      const held = client.channels.map((c) => c.path);
      for (const path of [own, groupChannel, dmChannel]) assert.ok(held.includes(path), `${path} held (${held.join(', ')})`);

      const post = server.post(group.id, friend.id, 'group, before', { attachments: [IMAGE] });
      const dm = server.sendDirectMessage(me.id, friend.id, 'DM, before'); // my own DM this time
      await delivered(world, [post.id, dm.id], 'the originals');

      const groupEdit = server.editMessage(post.id, 'group, after');
      const dmEdit = server.editMessage(dm.id, 'DM, after');
      const seen = (): string =>
        `message.update ${updates.length}, message.deleted ${deletions.length}, notices ${notices.length}, ` +
        `unknown ${unknowns.map((e) => `${e.originalType} (${e.reason})`).join('; ') || 0}`;
      await until(() => updates.length >= 2 && notices.length >= 2, WAIT_MS).catch(() => assert.fail(`both edits did not arrive; seen: ${seen()}`));
      const groupDelete = server.deleteMessage(post.id);
      const dmDelete = server.deleteMessage(dm.id);
      await until(() => deletions.length >= 2 && notices.length >= 4, WAIT_MS).catch(() => assert.fail(`both deletions did not arrive; seen: ${seen()}`));
      await barrier(world, 'after everything');

      // The conversation channels: one typed event per change, nothing more.
      assert.equal(updates.length, 2, `message.update events: ${updates.map((e) => e.channel.path).join(', ')}`);
      assert.equal(deletions.length, 2, `message.deleted events: ${deletions.map((e) => e.channel.path).join(', ')}`);
      const groupUpdate = updates.find((e) => e.message.id === post.id);
      const dmUpdate = updates.find((e) => e.message.id === dm.id);
      assert.ok(groupUpdate && dmUpdate, 'each edit arrived on its conversation channel');
      checkChange(groupUpdate, groupEdit, groupChannel, 'group message.update');
      checkChange(dmUpdate, dmEdit, dmChannel, 'DM message.update');
      assert.ok(groupUpdate.message.conversation === 'group');
      assert.equal(groupUpdate.message.groupId, group.id);
      assert.equal(groupUpdate.message.text, 'group, after');
      assert.deepEqual(groupUpdate.message.attachments, [IMAGE]);
      assert.ok(groupUpdate.message.updatedAt instanceof Date);
      assert.ok(dmUpdate.message.conversation === 'direct_message');
      assert.equal(dmUpdate.message.chatId, dm.conversation_id);
      assert.equal(dmUpdate.message.text, 'DM, after');
      assert.equal(dmUpdate.message.userId, me.id);

      const groupDeletion = deletions.find((e) => e.messageId === post.id);
      const dmDeletion = deletions.find((e) => e.messageId === dm.id);
      assert.ok(groupDeletion && dmDeletion, 'each deletion arrived on its conversation channel');
      checkChange(groupDeletion, groupDelete, groupChannel, 'group message.deleted');
      checkChange(dmDeletion, dmDelete, dmChannel, 'DM message.deleted');
      for (const [event, change] of [[groupDeletion, groupDelete], [dmDeletion, dmDelete]] as const) {
        const subject = change.subject as Json;
        assert.deepEqual(event.deletedAt, new Date(subject.deleted_at as string));
        assert.equal(event.deletionActor, 'sender');
        assert.equal(event.message.id, event.messageId);
        assert.equal(event.message.text, subject.text, 'the tombstone keeps its text');
        assert.notEqual(event.message.conversation, null, 'a whole subject is a whole Message, not a PartialMessage');
      }
      assert.equal(groupDeletion.groupId, group.id);
      assert.equal(groupDeletion.chatId, null);
      assert.equal(dmDeletion.chatId, dm.conversation_id);
      assert.equal(dmDeletion.groupId, null);

      // The /user path still carries its own typed system messages, one per change.
      assert.equal(notices.length, 4, `system messages: ${notices.map((e) => e.message.event?.type).join(', ')}`);
      const noticeOf = (change: MessageChangePayload): Notice => {
        const found = notices.find((e) => e.message.id === (change.notice.subject as Json).id);
        assert.ok(found, `the notice ${String((change.notice.subject as Json).id)} arrived`);
        return found;
      };
      const changes = [
        [groupEdit, post.id, 'group edit notice'],
        [dmEdit, dm.id, 'DM edit notice'],
        [groupDelete, post.id, 'group deletion notice'],
        [dmDelete, dm.id, 'DM deletion notice'],
      ] as const;
      for (const [change, messageId, where] of changes) {
        const event = checkNotice(noticeOf(change), change, own, where);
        assert.ok(event.type === 'message.update' || event.type === 'message.deleted');
        assert.equal(event.data.messageId, messageId, `${where} names its message`);
      }
      assert.equal(asUpdate(noticeOf(groupEdit).message.event!).data.message?.text, 'group, after');
      assert.equal(asUpdate(noticeOf(dmEdit).message.event!).data.message?.text, 'DM, after');

      // Neither path crashed or fell back to unknown.
      assert.deepEqual(unknowns, [], 'nothing became unknown');
      assert.deepEqual(world.errors, []);
      assert.equal(client.state, 'connected');
    } finally {
      await world.close();
    }
  });

  // The push-level `{type: "subscribe"}` is not covered here: the look-alike never sends
  // one of its own accord (grep src/testing for it), so no as-observed traffic carries it.
});
