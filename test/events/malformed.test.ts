import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupChannel } from '../../src/events/channel.js';
import { parsePushMessage } from '../../src/events/parse.js';
import type { PushEvent, PushEventType, UnknownEvent } from '../../src/events/types.js';

const channel = groupChannel('1');

function unknownOf(data: unknown): UnknownEvent {
  const event = parsePushMessage(channel, data);
  assert.equal(event.type, 'unknown', `expected unknown for a ${typeof data}`);
  assert.equal(event.raw, data);
  assert.equal(event.channel, channel);
  const u = event as UnknownEvent;
  assert.equal(typeof u.reason, 'string');
  assert.ok(u.reason.length > 0);
  return u;
}

function typed<T extends PushEventType>(type: T, data: unknown): Extract<PushEvent, { type: T }> {
  const event = parsePushMessage(channel, data);
  assert.equal(event.type, type, event.type === 'unknown' ? event.reason : undefined);
  assert.equal(event.raw, data);
  return event as Extract<PushEvent, { type: T }>;
}

/** A system line.create around `subject` fields, to reach the deep paths. */
function line(subject: Record<string, unknown>): Record<string, unknown> {
  return { type: 'line.create', subject: { id: '1', group_id: '2', user_id: '3', ...subject } };
}

describe('parsePushMessage on hostile input', () => {
  it('makes unknown events of non-objects', () => {
    for (const data of [null, undefined, 'str', '', 42, Number.NaN, true, 10n, Symbol('x'), () => 1, [], [{ type: 'ping' }]]) {
      const e = unknownOf(data);
      assert.equal(e.originalType, null);
      assert.equal(e.reason, 'the payload is not an object');
      assert.equal(e.receivedAt, null);
      assert.equal(e.alert, null);
    }
  });

  it('makes unknown events of objects without a string type', () => {
    assert.equal(unknownOf({}).reason, 'the payload has no type');
    assert.equal(unknownOf({ ping: false }).reason, 'the payload has no type');
    for (const type of [5, null, true, {}, ['ping']]) {
      const e = unknownOf({ type, received_at: 1751412575000, alert: 'hi' });
      assert.equal(e.originalType, null);
      assert.equal(e.reason, 'the payload type is not a string');
      // What could be read still is.
      assert.deepEqual(e.receivedAt, new Date(1751412575000));
      assert.equal(e.alert, 'hi');
    }
  });

  it('keeps unrecognised types with their name', () => {
    for (const type of ['reaction.sparkle', 'like.delete', 'line.update', '', '__proto__', 'constructor']) {
      const e = unknownOf({ type, subject: { id: '1' } });
      assert.equal(e.originalType, type);
      assert.equal(e.reason, `unrecognised type "${type}"`);
    }
  });

  it('says what is missing from a known type it cannot use', () => {
    const cases: Array<[unknown, string]> = [
      [{ type: 'line.create' }, 'line.create without a subject'],
      [{ type: 'line.create', subject: null }, 'line.create without a subject'],
      [{ type: 'line.create', subject: 'text' }, 'line.create without a subject'],
      [{ type: 'line.create', subject: [{ id: '1', group_id: '2' }] }, 'line.create without a subject'],
      [{ type: 'line.create', subject: { id: { nested: 1 }, group_id: '2' } }, 'line.create without a subject id'],
      [{ type: 'line.create', subject: { id: true, group_id: '2' } }, 'line.create without a subject id'],
      [{ type: 'line.create', subject: { id: Number.NaN, group_id: '2' } }, 'line.create without a subject id'],
      [{ type: 'line.create', subject: { id: '', group_id: '2' } }, 'line.create without a subject id'],
      [{ type: 'line.create', subject: { id: '1' } }, 'line.create without a subject group_id'],
      [{ type: 'line.create', subject: { id: '1', group_id: Infinity } }, 'line.create without a subject group_id'],
      [{ type: 'direct_message.create', subject: { id: '1', sender_id: '2' } }, 'direct_message.create without a subject chat_id (or sender_id and recipient_id)'],
      [{ type: 'message.update', subject: { id: '1' } }, 'message.update without a subject group_id or chat_id'],
      [{ type: 'favorite' }, 'favorite without a subject'],
      [{ type: 'favorite', subject: { line: 'nope', user_id: '1' } }, 'favorite without a readable subject.line message'],
      [{ type: 'like.create', subject: { line: { id: '1', group_id: '2' } } }, 'like.create without a subject.user_id (the reactor)'],
      [{ type: 'message.deleted', subject: {} }, 'message.deleted without a subject id'],
      [{ type: 'message.deleted', subject: 7 }, 'message.deleted without a subject'],
      [{ type: 'membership.create', subject: [] }, 'membership.create without a subject group id'],
      [{ type: 'typing' }, 'typing without a user_id'],
      [{ type: 'typing', user_id: false }, 'typing without a user_id'],
      [{ type: 'read_receipt.create', subject: { id: '1' } }, 'read_receipt.create without a subject message_id and user_id'],
      [{ type: 'read_receipt.create' }, 'read_receipt.create without a subject'],
    ];
    for (const [data, reason] of cases) {
      const e = unknownOf(data);
      assert.equal(e.reason, reason);
      assert.equal(e.originalType, (data as { type: string }).type);
    }
  });

  it('survives getters that throw, Proxies, cycles and null prototypes', () => {
    const trap = { type: 'line.create' };
    Object.defineProperty(trap, 'subject', { enumerable: true, get: () => { throw new Error('boom'); } });
    let e = unknownOf(trap);
    assert.equal(e.originalType, 'line.create');
    assert.equal(e.reason, 'the payload could not be read');

    const typeTrap = {};
    Object.defineProperty(typeTrap, 'type', { get: () => { throw new Error('boom'); } });
    e = unknownOf(typeTrap);
    assert.equal(e.originalType, null);

    const deepTrap = { id: '1', group_id: '2' };
    Object.defineProperty(deepTrap, 'attachments', { get: () => { throw new Error('boom'); } });
    unknownOf({ type: 'line.create', subject: deepTrap });

    const hostile = new Proxy({}, { get: () => { throw new Error('proxy'); } });
    unknownOf(hostile);
    const { proxy, revoke } = Proxy.revocable({ type: 'ping' }, {});
    revoke();
    unknownOf(proxy);

    const cyclic: Record<string, unknown> = { id: '1', group_id: '2', user_id: '3' };
    cyclic.attachments = [cyclic];
    cyclic.event = { type: 'group.name_change', data: cyclic };
    const c = typed('line.create', { type: 'line.create', subject: cyclic });
    assert.equal(c.message.attachments[0]?.type, 'unknown');
    assert.equal(c.message.event?.type, 'unknown', 'a name_change without a name is not typed');

    const bare = Object.assign(Object.create(null) as object, { type: 'typing', user_id: '7', started: 1 });
    assert.equal(typed('typing', bare).userId, '7');
    const bareSubject = Object.assign(Object.create(null) as object, { id: '1', group_id: '2' });
    assert.equal(typed('line.create', { type: 'line.create', subject: bareSubject }).message.id, '1');
  });

  it('does not follow or create prototypes from __proto__ keys', () => {
    const data = JSON.parse('{"type":"line.create","subject":{"__proto__":{"id":"1","group_id":"2"}}}') as unknown;
    assert.equal(unknownOf(data).reason, 'line.create without a subject id');
    const data2 = JSON.parse('{"__proto__":{"type":"ping"}}') as unknown;
    assert.equal(unknownOf(data2).reason, 'the payload has no type');
    const data3 = JSON.parse('{"type":"line.create","subject":{"id":"1","group_id":"2","__proto__":{"system":true},"event":{"type":"bot.add","data":{"__proto__":{"bot":"x"}}}}}') as unknown;
    const e = typed('line.create', data3);
    assert.equal(e.message.system, false);
    assert.equal(e.message.event?.type, 'unknown');
    assert.equal(({} as Record<string, unknown>).id, undefined, 'no prototype pollution');
    assert.equal(({} as Record<string, unknown>).system, undefined, 'no prototype pollution');
  });

  it('keeps huge and odd numeric ids as decimal strings, and rejects non-ids', () => {
    const e = typed('line.create', line({ id: 175141257527047935, group_id: 108466446, user_id: 1e21, sender_id: -1, favorited_by: [1e300, 2, true, null, {}, '', 'x'] }));
    assert.equal(e.message.id, '175141257527047940'); // already rounded by JSON.parse: kept as it became
    assert.equal(e.message.groupId, '108466446');
    assert.equal(e.message.userId, '1000000000000000000000');
    assert.equal(e.message.senderId, '-1');
    assert.equal(e.message.favoritedBy[0], BigInt(1e300).toString());
    assert.deepEqual(e.message.favoritedBy.slice(1), ['2', 'x']);
  });

  it('reads dates that are out of range or garbage as null', () => {
    const e = typed('line.create', {
      ...line({ created_at: 1e300, updated_at: '1751412575', pinned_at: Number.NaN, deleted_at: 'garbage' }),
      received_at: 'yesterday',
    });
    assert.equal(e.receivedAt, null);
    assert.equal(e.message.createdAt, null);
    assert.equal(e.message.updatedAt, null);
    assert.equal(e.message.pinnedAt, null);
    assert.equal(e.message.deletedAt, null);

    for (const deletedAt of ['1', '12', 'Tue Jul 01 2025', '2025-13-45T00:00:00Z', true, {}, [], -Infinity, 1e20]) {
      assert.equal(typed('line.create', line({ deleted_at: deletedAt })).message.deletedAt, null, String(deletedAt));
    }
    assert.deepEqual(typed('line.create', line({ deleted_at: 1751413222 })).message.deletedAt, new Date(1751413222000));
    assert.deepEqual(typed('line.create', line({ deleted_at: '2025-07-01T23:40:22Z' })).message.deletedAt, new Date(1751413222000));
  });

  it('reads a message.deleted tombstone whatever deleted_at is, needing only an id', () => {
    const partial = { type: 'message.deleted', subject: { id: 5, deleted_at: 1751413222, deletion_actor: 'admin' } };
    const e = typed('message.deleted', partial);
    assert.equal(e.messageId, '5');
    assert.deepEqual(e.deletedAt, new Date(1751413222000));
    assert.equal(e.deletionActor, 'admin');
    assert.equal(e.groupId, null);
    assert.equal(e.message.conversation, null, 'a subject without an author or a thread is a partial message');
    assert.equal(e.message.id, '5');
    assert.deepEqual(e.message.deletedAt, new Date(1751413222000));
    assert.equal(e.message.deletionActor, 'admin');

    const noAuthor = typed('message.deleted', { type: 'message.deleted', subject: { id: '5', group_id: '9', deleted_at: 'junk', text: 'gone' } });
    assert.equal(noAuthor.groupId, '9');
    assert.equal(noAuthor.deletedAt, null);
    assert.ok(noAuthor.message.conversation === null, 'a subject without an author is not offered as a full message');
    assert.equal(noAuthor.message.userId, null, 'no empty string pretending to be a person');
    assert.equal(noAuthor.message.groupId, '9');
    assert.equal(noAuthor.message.text, 'gone');

    const dm = typed('message.deleted', {
      type: 'message.deleted',
      subject: { message_id: '5', sender_id: '131245991', recipient_id: '93645911', deleted_at: '2025-07-01T23:40:22.8912Z' },
    });
    assert.equal(dm.messageId, '5');
    assert.equal(dm.chatId, '93645911+131245991', 'derived from the participants even without a full message');
    assert.equal(dm.message.conversation, null);

    const fullDm = typed('message.deleted', {
      type: 'message.deleted',
      subject: { id: '5', sender_id: '131245991', recipient_id: '93645911', deleted_at: '2025-07-01T23:40:22.8912Z' },
    });
    assert.equal(fullDm.chatId, '93645911+131245991');
    assert.equal(fullDm.message.conversation, 'direct_message');

    const badGroup = typed('message.deleted', { type: 'message.deleted', subject: { id: '5', user_id: '2', group_id: {}, text: 't' } });
    assert.ok(badGroup.message.conversation === null, 'an unreadable group_id makes a partial, not a DM');
    assert.deepEqual([badGroup.message.groupId, badGroup.message.chatId, badGroup.message.userId, badGroup.message.text], [null, null, '2', 't']);
  });

  it('does not let junk fields spoil a usable message', () => {
    const e = typed('line.create', line({
      text: 42, name: null, avatar_url: '', source_guid: {}, attachments: 'not an array', favorited_by: 'x',
      system: 'yes', sender_type: 5, parent_id: false, pinned_by: '', event: 'not an object',
    }));
    assert.equal(e.message.text, null);
    assert.equal(e.message.name, '');
    assert.equal(e.message.avatarUrl, null);
    assert.equal(e.message.sourceGuid, null);
    assert.deepEqual(e.message.attachments, []);
    assert.deepEqual(e.message.favoritedBy, []);
    assert.equal(e.message.system, false, 'only system === true counts');
    assert.equal(e.message.senderType, 'user');
    assert.equal(e.message.parentId, null);
    assert.equal(e.message.pinnedBy, null);
    assert.equal(e.message.event, null);
  });

  it('drops junk reactions and keeps the good ones', () => {
    const e = typed('favorite', {
      type: 'favorite',
      subject: {
        line: { id: '1', chat_id: '2+3', user_id: '2' },
        user_id: 3,
        reactions: [null, 'x', 7, [], {}, { code: 5 }, { code: '❤️', user_ids: 'nope' }, { type: 'emoji', code: '1,2', user_ids: [3, '4', null] }],
        user_reaction: 'junk',
      },
    });
    assert.equal(e.message.conversation, 'direct_message');
    assert.equal(e.reactorId, '3');
    assert.equal(e.userReaction, null);
    assert.deepEqual(e.reactions, [
      { type: 'unicode', code: '❤️', userIds: [] },
      { type: 'emoji', code: '1,2', userIds: ['3', '4'] },
    ]);
    assert.deepEqual(typed('favorite', { type: 'favorite', subject: { line: { id: '1', group_id: '2' }, user_id: '3', reactions: 'x' } }).reactions, []);
  });

  it('keeps unknown attachments, and known ones with bad fields, as unknown', () => {
    const hologram = { type: 'hologram', depth: 3 };
    const emptyImage = { type: 'image', url: '' };
    const badMentions = { type: 'mentions', user_ids: 'everyone' };
    const e = typed('line.create', line({
      attachments: [
        { type: 'image', url: 'https://i.groupme.com/x' },
        { type: 'mentions', user_ids: ['-1', 5, null], loci: [[0, 9], 'bad', [1]] },
        { type: 'reply', reply_id: 10, base_reply_id: '9' },
        { type: 'location', name: 'Home', lat: '', lng: 12.5 },
        { type: 'emoji', placeholder: '\uFFFD', charmap: [[1, 62]] },
        hologram,
        { type: 'image' },
        emptyImage,
        badMentions,
        'junk',
        null,
        { type: 7 },
      ],
    }));
    assert.deepEqual(e.message.attachments, [
      { type: 'image', url: 'https://i.groupme.com/x' },
      { type: 'mentions', userIds: ['-1', '5'], loci: [[0, 9]] },
      { type: 'reply', replyId: '10', baseReplyId: '9' },
      { type: 'location', name: 'Home', lat: null, lng: '12.5' },
      { type: 'emoji', placeholder: '\uFFFD', charmap: [[1, 62]] },
      { type: 'unknown', originalType: 'hologram', raw: hologram },
      { type: 'unknown', originalType: 'image', raw: { type: 'image' } },
      { type: 'unknown', originalType: 'image', raw: emptyImage },
      { type: 'unknown', originalType: 'mentions', raw: badMentions },
      { type: 'unknown', originalType: null, raw: 'junk' },
      { type: 'unknown', originalType: null, raw: null },
      { type: 'unknown', originalType: null, raw: { type: 7 } },
    ]);
    const unknownAttachment = e.message.attachments[5];
    assert.ok(unknownAttachment?.type === 'unknown');
    assert.equal(unknownAttachment.raw, hologram, 'the very object, not a copy');
  });

  it('keeps unknown system events, and known ones without usable data, with their data', () => {
    const futureData = { x: 1, user: { id: 5 } };
    const e = typed('line.create', line({ system: true, event: { type: 'group.future_thing', data: futureData } }));
    assert.deepEqual(e.message.event, { type: 'unknown', originalType: 'group.future_thing', data: futureData });
    assert.ok(e.message.event?.type === 'unknown' && e.message.event.data === futureData);

    const cases: Array<[unknown, string | null]> = [
      [{ type: 'group.name_change', data: { user: { id: 1 } } }, 'group.name_change'],
      [{ type: 'bot.add' }, 'bot.add'],
      [{ type: 'message.pinned', data: { pinned: true } }, 'message.pinned'],
      [{ type: 'poll.finished', data: { poll: 'x' } }, 'poll.finished'],
      [{ type: 7, data: {} }, null],
      [{ data: {} }, null],
    ];
    for (const [event, originalType] of cases) {
      const m = typed('line.create', line({ event })).message;
      assert.ok(m.event?.type === 'unknown', JSON.stringify(event));
      assert.equal(m.event.originalType, originalType);
    }

    // Ids inside event data: numbers or strings, always strings out; junk users are null.
    const added = typed('line.create', line({
      event: { type: 'membership.announce.added', data: { added_users: [{ id: 1, nickname: 'a' }, 'junk', { nickname: 'no id' }], adder_user: { id: true } } },
    })).message.event;
    assert.ok(added?.type === 'membership.announce.added');
    assert.deepEqual(added.data, { addedUsers: [{ id: '1', nickname: 'a' }], adderUser: null });
  });

  it('never mutates its input', () => {
    const data = line({ attachments: [{ type: 'image', url: 'u' }], event: { type: 'bot.add', data: { bot: 'b', user: { id: 1 } } } });
    const frozen = structuredClone(data);
    deepFreeze(data);
    typed('line.create', data);
    assert.deepEqual(data, frozen);
  });
});

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}
