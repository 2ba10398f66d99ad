import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { chatIdFor, directMessageChannel, groupChannel, userChannel } from '../../src/events/channel.js';
import { parsePushMessage } from '../../src/events/parse.js';
import { parseDirectMessage, parseGroupMessage, parseMessage } from '../../src/events/parse-message.js';
import type { PushEventType } from '../../src/events/types.js';

const channels = fc.constantFrom(userChannel('93645911'), groupChannel('108466446'), directMessageChannel('1+2'));
const UNION: readonly PushEventType[] = [
  'line.create', 'direct_message.create', 'like.create', 'favorite', 'message.deleted', 'message.update',
  'membership.create', 'typing', 'read_receipt.create', 'ping', 'subscribe', 'unknown',
];
const WIRE_TYPES = UNION.filter((t) => t !== 'unknown');

// ---- loose payloads: right type, anything inside, so the deep paths run on junk ----
// Weighted towards plausible values: pure noise would stop at the first check every time.

function mostly<T>(likely: fc.Arbitrary<T>, junk: fc.Arbitrary<unknown> = fc.jsonValue()): fc.Arbitrary<T | unknown> {
  return fc.oneof({ arbitrary: likely, weight: 4 }, { arbitrary: junk, weight: 1 });
}
/** Present three times in four; absent otherwise. */
function maybe<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined, freq: 4 });
}
function recordOf<T extends Record<string, fc.Arbitrary<unknown>>>(fields: T): fc.Arbitrary<Record<string, unknown>> {
  const out: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = maybe(v);
  return fc.record(out);
}

/** An id as GroupMe might, or might not, send it. */
const anyId = fc.oneof(
  { arbitrary: fc.stringMatching(/^\d{1,19}$/), weight: 6 },
  { arbitrary: fc.nat(), weight: 2 },
  { arbitrary: fc.constantFrom('system', '', '-1'), weight: 1 },
  { arbitrary: fc.oneof(fc.double(), fc.jsonValue()), weight: 1 },
);
const anyDate = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())), fc.jsonValue());
const anyText = mostly(fc.string());
const anyIds = mostly(fc.array(anyId, { maxLength: 4 }));
const anyPairs = mostly(fc.array(mostly(fc.tuple(fc.integer(), fc.integer())), { maxLength: 3 }));
const looseUser = mostly(recordOf({ id: anyId, nickname: anyText }));

const looseAttachment = mostly(recordOf({
  type: mostly(fc.constantFrom('image', 'linked_image', 'video', 'audio', 'file', 'location', 'split', 'emoji', 'mentions', 'reply', 'poll', 'event', 'copilot'), fc.string()),
  url: anyText, preview_url: anyText, file_id: anyId, lat: anyText, lng: mostly(fc.double()), name: anyText,
  token: anyText, placeholder: anyText, charmap: anyPairs, user_ids: anyIds, loci: anyPairs,
  reply_id: anyId, base_reply_id: anyId, poll_id: anyId, event_id: anyId, view: anyText,
}));
const looseSystemEvent = mostly(recordOf({
  type: mostly(fc.constantFrom(
    'membership.announce.added', 'membership.announce.joined', 'membership.announce.rejoined', 'membership.notifications.removed',
    'membership.notifications.exited', 'group.name_change', 'group.topic_change', 'group.avatar_change', 'group.role_change_admin',
    'group.shared', 'group.subgroup_type_change', 'group.call.ended', 'bot.add', 'bot.rename', 'message.pinned', 'message.unpinned',
    'poll.created', 'poll.finished', 'calendar.event.created', 'calendar.event.updated', 'copilot.group.privacy_notice',
    'message.deleted', 'message.update', 'membership.nickname_changed', 'membership.avatar_changed',
    'membership.notifications.autokicked', 'group.like_icon_set', 'group.theme_change', 'group.office_mode_enabled',
    'group.office_mode_', 'group.added_to_directory', 'group.type_change', 'group.shared', 'bot.del',
    'calendar.event.starting', 'calendar.event.user.undecided', 'poll.reminder',
  ), fc.string()),
  data: mostly(recordOf({
    user: looseUser, member: looseUser, adder_user: looseUser, remover_user: looseUser, removed_user: looseUser,
    added_users: mostly(fc.array(looseUser, { maxLength: 3 })),
    name: anyText, topic: anyText, role: anyText, bot: anyText, bot_name_old: anyText, bot_name_new: anyText, avatar_url: anyText,
    subgroup_topic: anyText, parent_id: anyId, type: anyText, message_edit_period: mostly(fc.integer()), call_duration: mostly(fc.integer()),
    message_id: anyId, pinned: fc.jsonValue(), pinned_by: anyId, pinned_at: anyDate,
    poll: mostly(recordOf({ id: anyId, subject: anyText })), conversation: mostly(recordOf({ id: anyId })),
    options: mostly(fc.array(mostly(recordOf({ id: anyId, title: anyText, votes: mostly(fc.nat()), voter_ids: anyIds })), { maxLength: 3 })),
    event: mostly(recordOf({ id: anyId, name: anyText })), url: anyText, updated_fields: mostly(fc.array(anyText, { maxLength: 3 })),
    trigger_message: anyId,
    deleted_at: anyDate, deletion_actor: anyText, deleter_id: anyId, sender_id: anyId, updated_at: anyDate,
    message: mostly(recordOf({ text: anyText, attachments: mostly(fc.array(looseAttachment, { maxLength: 3 })) })),
    like_icon: mostly(recordOf({ type: anyText, pack_id: mostly(fc.integer()), pack_index: mostly(fc.integer()) })),
    theme_name: anyText, directory_name: anyText, event_name: anyText, minutes: mostly(fc.oneof(fc.nat(), fc.stringMatching(/^\d{1,3}$/))),
    call_started: mostly(fc.boolean()), share_url: anyText, share_qr_code_url: anyText,
  })),
}));
const looseMessage = recordOf({
  id: anyId, group_id: anyId, chat_id: anyId, conversation_id: anyId, user_id: anyId, sender_id: anyId, recipient_id: anyId,
  sender_type: mostly(fc.constantFrom('user', 'bot', 'system', 'service')), name: anyText, avatar_url: anyText, text: anyText,
  source_guid: anyText, created_at: anyDate, updated_at: anyDate, pinned_at: anyDate, deleted_at: anyDate, pinned_by: anyId,
  parent_id: anyId, deletion_actor: anyText, message_id: anyId,
  attachments: mostly(fc.array(looseAttachment, { maxLength: 4 })),
  favorited_by: anyIds, favorited_at: anyDate, picture_url: anyText, platform: anyText,
  reactions: mostly(fc.array(mostly(recordOf({ type: anyText, code: anyText, user_ids: anyIds })), { maxLength: 3 })),
  location: mostly(recordOf({ lat: mostly(fc.oneof(fc.string(), fc.double())), lng: anyText, name: anyText, foursquare_checkin: fc.jsonValue(), foursquare_venue_id: anyId })),
  event: looseSystemEvent,
  system: mostly(fc.boolean()),
});
const looseReaction = mostly(recordOf({ type: anyText, code: anyText, user_ids: anyIds }));
const looseSubject = fc.oneof(
  { arbitrary: looseMessage, weight: 4 },
  {
    arbitrary: recordOf({ line: mostly(looseMessage), reactions: mostly(fc.array(looseReaction, { maxLength: 3 })), user_id: anyId, user_reaction: looseReaction }),
    weight: 2,
  },
  { arbitrary: recordOf({ id: anyId, chat_id: anyId, message_id: anyId, user_id: anyId, read_at: anyDate, name: anyText }), weight: 1 },
  { arbitrary: fc.jsonValue(), weight: 1 },
);
const loosePayload = recordOf({
  type: mostly(fc.constantFrom(...WIRE_TYPES), fc.oneof(fc.string(), fc.jsonValue())),
  subject: looseSubject,
  user_id: anyId,
  started: anyDate,
  received_at: anyDate,
  alert: anyText,
  ping: mostly(fc.boolean()),
});

// Only input that throws when read (a getter, a revoked Proxy) may end in the parser's
// catch-all; its reason is learnt from such an input, not copied from the source.
const hostile = new Proxy({}, { get: () => { throw new Error('hostile'); } });
const hostileEvent = parsePushMessage(userChannel('1'), hostile);
assert.ok(hostileEvent.type === 'unknown', 'a payload that throws when read becomes an unknown event');
const COULD_NOT_READ = hostileEvent.reason;

function checkTotal(channel: ReturnType<typeof userChannel>, data: unknown): void {
  const event = parsePushMessage(channel, data);
  assert.ok(UNION.includes(event.type), `type ${String(event.type)}`);
  assert.equal(event.raw, data);
  assert.equal(event.channel, channel);
  assert.equal(event.origin, 'push');
  assert.ok(event.receivedAt === null || !Number.isNaN(event.receivedAt.getTime()));
  if (event.type === 'unknown') {
    assert.ok(event.reason.length > 0);
    // Nothing here throws when read: landing in the catch-all means the parser itself threw.
    assert.notEqual(event.reason, COULD_NOT_READ, 'the parser threw on a readable payload');
  }
}

describe('parsePushMessage is total', () => {
  it('returns an event for arbitrary JSON', () => {
    fc.assert(fc.property(channels, fc.jsonValue(), checkTotal), { numRuns: 500 });
  });

  it('returns an event for arbitrary JS values (null prototypes, bigints, Maps, sparse arrays...)', () => {
    const anything = fc.anything({
      withNullPrototype: true, withBigInt: true, withMap: true, withSet: true, withDate: true,
      withTypedArray: true, withSparseArray: true, withBoxedValues: true, maxDepth: 3,
    });
    fc.assert(fc.property(channels, anything, checkTotal), { numRuns: 300 });
  });

  it('returns an event for payloads of every known type with junk inside (deep paths)', () => {
    fc.assert(fc.property(channels, loosePayload, checkTotal), { numRuns: 1000 });
  });

  it('never mutates its input', () => {
    fc.assert(
      fc.property(loosePayload, (data) => {
        // Cloned on both sides: fast-check makes some records with a null prototype.
        const before = structuredClone(data);
        parsePushMessage(groupChannel('1'), data);
        assert.deepEqual(structuredClone(data), before);
      }),
      { numRuns: 300 },
    );
  });
});

// ---- well-formed payloads: each must come out typed, with its values ----

const idString = fc.stringMatching(/^[1-9]\d{0,18}$/);
/** Ids as strings or as (safe) numbers, as GroupMe mixes them. */
const wireId = fc.oneof(idString, fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }));
const epochSeconds = fc.integer({ min: 0, max: 4_000_000_000 });
const epochMillis = fc.integer({ min: 0, max: 4_000_000_000_000 });
const validAttachment = fc.oneof(
  fc.record({ type: fc.constant('image'), url: fc.webUrl() }),
  fc.record({ type: fc.constant('mentions'), user_ids: fc.array(wireId, { maxLength: 3 }), loci: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }) }),
  fc.record({ type: fc.constant('reply'), reply_id: wireId, base_reply_id: wireId }),
);
const messageBody = {
  id: wireId,
  user_id: wireId,
  name: fc.string(),
  text: fc.oneof(fc.string(), fc.constant(null)),
  created_at: epochSeconds,
  attachments: fc.array(validAttachment, { maxLength: 3 }),
  favorited_by: fc.array(wireId, { maxLength: 3 }),
};
const groupMessage = fc.record({ ...messageBody, group_id: wireId, system: fc.boolean() });
const dmMessage = fc.oneof(
  fc.record({ ...messageBody, chat_id: fc.tuple(idString, idString).map(([a, b]) => `${a}+${b}`), recipient_id: idString }),
  fc.record({ ...messageBody, conversation_id: fc.tuple(idString, idString).map(([a, b]) => `${a}+${b}`) }),
  fc.record({ ...messageBody, sender_id: idString, recipient_id: idString }),
);
const anyMessage = fc.oneof(groupMessage, dmMessage);

type Wire = Record<string, unknown>;

function expectMessage(actual: unknown, wire: Wire): void {
  const m = actual as Record<string, unknown>;
  assert.equal(m.id, String(wire.id));
  assert.equal(m.userId, String(wire.user_id));
  assert.equal(m.name, wire.name);
  assert.equal(m.text, wire.text);
  assert.deepEqual(m.createdAt, new Date((wire.created_at as number) * 1000));
  assert.deepEqual(m.favoritedBy, (wire.favorited_by as unknown[]).map(String));
  assert.equal((m.attachments as unknown[]).length, (wire.attachments as unknown[]).length);
  assert.ok((m.attachments as Array<{ type: string }>).every((a) => a.type !== 'unknown'));
  if (wire.group_id !== undefined) {
    assert.equal(m.conversation, 'group');
    assert.equal(m.groupId, String(wire.group_id));
    assert.equal(m.system, wire.system);
  } else {
    assert.equal(m.conversation, 'direct_message');
    const thread = wire.chat_id ?? wire.conversation_id ?? chatIdFor(String(wire.sender_id), String(wire.recipient_id));
    assert.equal(m.chatId, thread);
  }
  // The REST layer parses rows with the same functions: same message, same object shape.
  assert.deepEqual(parseMessage(wire), actual);
}

describe('parsePushMessage types every well-formed payload', () => {
  const runs = { numRuns: 200 };

  it('line.create', () => {
    fc.assert(fc.property(groupMessage, epochMillis, fc.string(), (subject, receivedAt, alert) => {
      const e = parsePushMessage(userChannel('1'), { type: 'line.create', subject, received_at: receivedAt, alert });
      assert.equal(e.type, 'line.create');
      if (e.type !== 'line.create') return;
      assert.deepEqual(e.receivedAt, new Date(receivedAt));
      assert.equal(e.alert, alert);
      expectMessage(e.message, subject);
      assert.deepEqual(parseGroupMessage(subject), e.message);
    }), runs);
  });

  it('direct_message.create', () => {
    fc.assert(fc.property(dmMessage, (subject) => {
      const e = parsePushMessage(userChannel('1'), { type: 'direct_message.create', subject });
      assert.equal(e.type, 'direct_message.create');
      if (e.type !== 'direct_message.create') return;
      expectMessage(e.message, subject);
      assert.deepEqual(parseDirectMessage(subject), e.message);
    }), runs);
  });

  it('like.create and favorite, on group messages and DMs', () => {
    const reaction = fc.record({ type: fc.constantFrom('unicode', 'emoji'), code: fc.string(), user_ids: fc.array(wireId, { maxLength: 3 }) });
    fc.assert(fc.property(fc.constantFrom('like.create', 'favorite'), anyMessage, fc.array(reaction, { maxLength: 3 }), wireId, (type, line, reactions, userId) => {
      const e = parsePushMessage(groupChannel('1'), { type, subject: { line, reactions, user_id: userId } });
      assert.equal(e.type, type);
      if (e.type !== 'like.create' && e.type !== 'favorite') return;
      expectMessage(e.message, line);
      assert.equal(e.reactorId, String(userId));
      assert.deepEqual(e.reactions, reactions.map((r) => ({ type: r.type, code: r.code, userIds: r.user_ids.map(String) })));
      assert.equal(e.userReaction, null);
    }), runs);
  });

  it('message.deleted, with deleted_at as ISO or seconds, partial or whole', () => {
    const deletedAt = fc.oneof(
      fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => ({ wire: d.toISOString() as string | number, ms: d.getTime() })),
      epochSeconds.map((s) => ({ wire: s as string | number, ms: s * 1000 })),
    );
    // A tombstone cut down to some fields, never its author.
    const partial = fc.record(
      { id: wireId, group_id: wireId, text: fc.oneof(fc.string(), fc.constant(null)), name: fc.string(), created_at: epochSeconds, deletion_actor: fc.string() },
      { requiredKeys: ['id'] },
    );
    const subject = fc.oneof(partial, groupMessage, dmMessage);
    fc.assert(fc.property(subject, deletedAt, (s: Wire, at) => {
      const e = parsePushMessage(groupChannel('1'), { type: 'message.deleted', subject: { ...s, deleted_at: at.wire } });
      assert.equal(e.type, 'message.deleted');
      if (e.type !== 'message.deleted') return;
      assert.equal(e.messageId, String(s.id));
      assert.equal(e.deletedAt?.getTime(), at.ms);
      assert.equal(e.message.conversation === null, !('user_id' in s), 'partial exactly when the author is missing');
      // Whole or partial, the message keeps what the subject said.
      assert.equal(e.message.id, String(s.id));
      assert.equal(e.message.deletedAt?.getTime(), at.ms);
      if ('text' in s) assert.equal(e.message.text, s.text);
      if ('name' in s) assert.equal(e.message.name, s.name);
      if ('deletion_actor' in s) assert.equal(e.message.deletionActor, s.deletion_actor);
      if ('created_at' in s) assert.deepEqual(e.message.createdAt, new Date((s.created_at as number) * 1000));
      if ('group_id' in s) assert.equal(e.groupId, String(s.group_id));
    }), runs);
  });

  it('message.update', () => {
    fc.assert(fc.property(anyMessage, epochSeconds, (subject, updatedAt) => {
      const e = parsePushMessage(groupChannel('1'), { type: 'message.update', subject: { ...subject, updated_at: updatedAt } });
      assert.equal(e.type, 'message.update');
      if (e.type !== 'message.update') return;
      assert.deepEqual(e.message.updatedAt, new Date(updatedAt * 1000));
    }), runs);
  });

  it('membership.create, typing, read_receipt.create and ping', () => {
    fc.assert(fc.property(wireId, fc.string(), epochSeconds, (groupId, name, created) => {
      const e = parsePushMessage(userChannel('1'), { type: 'membership.create', subject: { id: groupId, name, created_at: created } });
      assert.ok(e.type === 'membership.create');
      assert.equal(e.group.id, String(groupId));
      assert.equal(e.group.name, name);
      assert.deepEqual(e.group.createdAt, new Date(created * 1000));
    }), runs);
    fc.assert(fc.property(wireId, epochMillis, (userId, started) => {
      const e = parsePushMessage(groupChannel('1'), { type: 'typing', user_id: userId, started });
      assert.ok(e.type === 'typing');
      assert.equal(e.userId, String(userId));
      assert.deepEqual(e.startedAt, new Date(started));
    }), runs);
    fc.assert(fc.property(wireId, wireId, wireId, epochSeconds, (receiptId, messageId, userId, readAt) => {
      const e = parsePushMessage(directMessageChannel('1_2'), {
        type: 'read_receipt.create',
        subject: { id: receiptId, chat_id: '1+2', message_id: messageId, user_id: userId, read_at: readAt },
      });
      assert.ok(e.type === 'read_receipt.create');
      assert.deepEqual([e.receiptId, e.chatId, e.messageId, e.userId, e.readAt], [
        String(receiptId), '1+2', String(messageId), String(userId), new Date(readAt * 1000),
      ]);
    }), runs);
    fc.assert(fc.property(fc.option(epochMillis, { nil: undefined }), (receivedAt) => {
      const data = receivedAt === undefined ? { type: 'ping' } : { type: 'ping', received_at: receivedAt };
      assert.equal(parsePushMessage(userChannel('1'), data).type, 'ping');
    }), runs);
  });

  it('ignores extra fields it does not know', () => {
    const extra = fc.dictionary(fc.string().map((k) => `x_${k}`), fc.jsonValue(), { maxKeys: 4 });
    fc.assert(fc.property(groupMessage, extra, extra, (subject, junk1, junk2) => {
      const plain = parsePushMessage(userChannel('1'), { type: 'line.create', subject });
      const noisy = parsePushMessage(userChannel('1'), { ...junk1, type: 'line.create', subject: { ...junk2, ...subject } });
      assert.ok(plain.type === 'line.create' && noisy.type === 'line.create');
      assert.deepEqual(noisy.message, plain.message);
    }), runs);
  });

  it('system events: the typed ones keep their very data as rawData; the unsampled ones type any data object', () => {
    // Types with no captured sample: every field is optional, so any data object types.
    const lenient = [
      'membership.nickname_changed', 'membership.avatar_changed', 'membership.notifications.autokicked', 'group.like_icon_set',
      'group.theme_change', 'group.office_mode_enabled', 'group.office_mode_disabled', 'group.added_to_directory',
      'group.type_change', 'group.shared', 'bot.del', 'calendar.event.starting', 'calendar.event.user.undecided', 'poll.reminder',
    ];
    const strict = ['message.deleted', 'message.update', 'message.pinned', 'bot.add', 'group.name_change', 'poll.finished'];
    const data = fc.dictionary(fc.constantFrom('user', 'name', 'message_id', 'message', 'like_icon', 'minutes', 'poll', 'bot', 'x'), fc.jsonValue(), { maxKeys: 5 });
    fc.assert(fc.property(fc.constantFrom(...lenient, ...strict), data, (type, d) => {
      const e = parsePushMessage(groupChannel('1'), { type: 'line.create', subject: { id: '1', group_id: '1', user_id: 'system', event: { type, data: d } } });
      assert.ok(e.type === 'line.create');
      const event = e.message.event;
      assert.ok(event);
      if (lenient.includes(type)) assert.equal(event.type, type);
      if (event.type === 'unknown') assert.equal(event.data, d);
      else assert.equal(event.rawData, d);
    }), runs);
  });
});
