import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directMessageChannel, groupChannel, userChannel } from '../../src/events/channel.js';
import type { GroupMessage } from '../../src/events/message.js';
import { parsePushMessage } from '../../src/events/parse.js';
import type { SystemEvent, UnknownSystemEvent } from '../../src/events/system-events.js';
import type { PushEvent, PushEventType } from '../../src/events/types.js';
import { loadSample, sample, sampleFiles, samplesDir } from '../support/samples.js';

function parsed<T extends PushEventType>(type: T, event: PushEvent): Extract<PushEvent, { type: T }> {
  assert.equal(event.type, type, event.type === 'unknown' ? `unknown: ${event.reason}` : undefined);
  return event as Extract<PushEvent, { type: T }>;
}

/** The fields every message has, at their "absent" values, to spell expectations briefly. */
const blank = {
  sourceGuid: null,
  senderType: 'user',
  avatarUrl: null,
  attachments: [],
  favoritedBy: [],
  favoritedAt: null,
  reactions: [],
  system: false,
  event: null,
  parentId: null,
  pinnedAt: null,
  pinnedBy: null,
  updatedAt: null,
  deletedAt: null,
  deletionActor: null,
  location: null, // every sample's location is the empty {lat: "", lng: "", name: null}
  pictureUrl: null,
  platform: null,
} as const;

const PUSH_TYPES: readonly PushEventType[] = [
  'line.create', 'direct_message.create', 'like.create', 'favorite', 'message.deleted', 'message.update',
  'membership.create', 'typing', 'read_receipt.create', 'ping', 'subscribe',
];

describe('every push sample', () => {
  it('parses to the type its file is named after, keeping the very data object as raw', () => {
    let checked = 0;
    for (const file of sampleFiles) {
      // meta.* are Bayeux control messages and event.* ride inside a message: not push data.
      if (file.startsWith('meta.') || file.startsWith('event.')) continue;
      const expected = PUSH_TYPES.find((t) => file.startsWith(`${t}.`));
      assert.ok(expected, `${file}: no event type matches its name`);
      const data = sample(file);
      const event = parsePushMessage(userChannel('1'), data);
      assert.equal(event.type, expected, `${file}: ${event.type === 'unknown' ? event.reason : ''}`);
      assert.equal(event.raw, data, file);
      checked++;
    }
    assert.ok(checked >= 12, `only ${checked} push samples found in ${samplesDir.pathname}`);
  });

  it('leaves every sample as it was (the parser never mutates its input)', () => {
    for (const file of sampleFiles) {
      const data = sample(file);
      const before = JSON.stringify(data);
      parsePushMessage(userChannel('1'), data);
      assert.equal(JSON.stringify(data), before, file);
    }
  });
});

/** The group message of line.create.2.json, as typed. */
const isaacSaysHi = {
  conversation: 'group',
  id: '175141257527047935',
  groupId: '108466446',
  sourceGuid: '155641929db154909fabf69e089abee8',
  userId: '93645911',
  senderId: '93645911',
  name: 'Isaac',
  avatarUrl: 'https://i.groupme.com/200x200.jpeg.94e0ac5891aa4e6f8ad4bbf961defe4d',
  text: 'hi',
  createdAt: new Date(1751412575000),
} as const;

describe('parsePushMessage on real payloads, field by field', () => {
  it('line.create (2025) with every field', () => {
    const channel = userChannel('93645911');
    const data = sample('line.create.2.json');
    const e = parsed('line.create', parsePushMessage(channel, data));
    assert.equal(e.raw, data);
    assert.equal(e.channel, channel);
    assert.equal(e.origin, 'push');
    assert.equal(e.alert, 'Isaac: hi');
    assert.deepEqual(e.receivedAt, new Date(1751412575000));
    assert.deepEqual(e.message, { ...blank, ...isaacSaysHi });
  });

  it('line.create (2011 long-polling envelope) without sender fields', () => {
    const e = parsed('line.create', parsePushMessage(userChannel('185'), sample('line.create.1.json')));
    assert.equal(e.alert, 'Andygv: hey');
    assert.equal(e.receivedAt, null);
    assert.deepEqual(e.message, {
      ...blank,
      conversation: 'group',
      id: '15717',
      groupId: '1835',
      sourceGuid: 'GUID 13225579210290',
      userId: '162',
      senderId: '162',
      name: 'Andygv',
      text: 'hey',
      createdAt: new Date(1322557919000),
    });
  });

  it('direct_message.create', () => {
    const e = parsed('direct_message.create', parsePushMessage(userChannel('93645911'), sample('direct_message.create.1.json')));
    assert.equal(e.alert, 'Isaac: hola');
    assert.deepEqual(e.receivedAt, new Date(1751409577000));
    assert.deepEqual(e.message, {
      ...blank,
      conversation: 'direct_message',
      id: '175140957719383985',
      chatId: '93645911+131245991',
      recipientId: '93645911',
      sourceGuid: 'F7DD8CA8-2040-4AEC-A256-6517885C15B6',
      userId: '131245991',
      senderId: '131245991',
      name: 'Isaac',
      avatarUrl: 'https://i.groupme.com/860x861.jpeg.fcb7431eeb94483fa3826a6b835e653a',
      text: 'hola',
      createdAt: new Date(1751409577000),
    });
  });

  it('a system DM carrying message.pinned', () => {
    const data = sample('direct_message.create.system.message.pinned.1.json');
    const e = parsed('direct_message.create', parsePushMessage(userChannel('93645911'), data));
    assert.equal(e.alert, 'GroupMe: Sprocket pinned a message.');
    const eventData = ((data.subject as Record<string, unknown>).event as Record<string, unknown>).data;
    assert.deepEqual(e.message, {
      ...blank,
      conversation: 'direct_message',
      id: '175140976659243172',
      chatId: '93645911+131245991',
      recipientId: '93645911',
      sourceGuid: 'a1f05c4038fa013e78660e75d9c623fa',
      userId: 'system',
      senderId: 'system',
      senderType: 'system',
      system: true,
      name: 'GroupMe',
      avatarUrl: null, // "" in the payload
      text: 'Sprocket pinned a message.',
      createdAt: new Date(1751409766000),
      event: {
        type: 'message.pinned',
        data: { messageId: '175140957719383985', pinned: true, pinnedBy: '131245991', pinnedAt: new Date(1751409766000) },
        rawData: eventData,
      },
    });
    assert.ok(e.message.event?.type === 'message.pinned' && e.message.event.rawData === eventData, 'the very object');
  });

  it('like.create (envelope) with user_reaction', () => {
    const e = parsed('like.create', parsePushMessage(userChannel('20000001'), sample('like.create.1.json')));
    assert.equal(e.alert, 'Example Member reacted 👍 to Example message body');
    assert.deepEqual(e.receivedAt, new Date(1785346685000));
    assert.equal(e.reactorId, '20000003');
    assert.deepEqual(e.reactions, [{ type: 'unicode', code: '👍', userIds: ['20000003'] }]);
    assert.deepEqual(e.userReaction, { type: 'unicode', code: '👍', userIds: ['20000003'] });
    assert.deepEqual(e.message, {
      ...blank,
      conversation: 'group',
      id: '170000000000000001',
      groupId: '10000001',
      sourceGuid: '<uuid v4>',
      userId: '20000001',
      senderId: '20000001',
      name: 'Example Sender',
      text: 'Example message body',
      createdAt: new Date(1785346587000),
      favoritedBy: ['20000003'],
      favoritedAt: new Date(1785346684000),
    });
  });

  it('favorite', () => {
    const e = parsed('favorite', parsePushMessage(groupChannel('108466446'), sample('favorite.1.json')));
    assert.equal(e.alert, '');
    assert.deepEqual(e.receivedAt, new Date(1751412810000));
    assert.equal(e.reactorId, '131245991');
    assert.equal(e.userReaction, null);
    assert.deepEqual(e.reactions, [{ type: 'unicode', code: '❤️', userIds: ['131245991', '93645911'] }]);
    // favorite.1.json embeds the very message line.create.2.json announced.
    assert.deepEqual(e.message, { ...blank, ...isaacSaysHi, favoritedBy: ['93645911', '131245991'], favoritedAt: new Date(1751412810000) });
  });

  it('message.deleted with an ISO deleted_at', () => {
    const e = parsed('message.deleted', parsePushMessage(groupChannel('108466446'), sample('message.deleted.1.json')));
    const deletedAt = new Date('2025-07-01T23:40:22.891Z');
    assert.deepEqual(e.receivedAt, new Date(1751413222000));
    assert.equal(e.messageId, '175141312593142427');
    assert.equal(e.groupId, '108466446');
    assert.equal(e.chatId, null);
    assert.deepEqual(e.deletedAt, deletedAt);
    assert.equal(e.deletionActor, 'sender');
    const expected: GroupMessage = {
      ...blank,
      conversation: 'group',
      id: '175141312593142427',
      groupId: '108466446',
      sourceGuid: 'A4382407-B41B-43DD-8942-98E7FE9F132A',
      userId: '131245991',
      senderId: '131245991',
      name: 'Sprocket',
      avatarUrl: 'https://i.groupme.com/860x860.jpeg.fcb7431eeb94483fa3356a6b835e653a',
      text: 'This message was deleted',
      createdAt: new Date(1751413125000),
      deletedAt,
      deletionActor: 'sender',
    };
    assert.deepEqual(e.message, expected);
  });

  it('message.update, where pinned_by "" means not pinned', () => {
    const e = parsed('message.update', parsePushMessage(groupChannel('108466446'), sample('message.update.1.json')));
    assert.deepEqual(e.receivedAt, new Date(1751413700000));
    assert.deepEqual(e.message, {
      ...blank,
      conversation: 'group',
      id: '175141308755377678',
      groupId: '108466446',
      sourceGuid: 'F6F73443-78FC-4691-BE0C-B270A47C5B8D',
      userId: '131245991',
      senderId: '131245991',
      name: 'Sprocket',
      avatarUrl: 'https://i.groupme.com/860x860.jpeg.fcb7431eeb94483fa3356a6b835e653a',
      text: 'hola',
      createdAt: new Date(1751413087000),
      updatedAt: new Date(1751413700000),
    });
  });

  it('membership.create', () => {
    const e = parsed('membership.create', parsePushMessage(userChannel('93645911'), sample('membership.create.1.json')));
    assert.equal(e.alert, 'You\'ve been added to "test" with Sprocket.');
    assert.deepEqual(e.receivedAt, new Date(1751412305000));
    assert.deepEqual(e.group, {
      id: '108466446',
      name: 'test',
      type: 'private',
      description: '',
      creatorId: '131245991',
      avatarUrl: null,
      shareUrl: 'https://groupme.com/join_group/108466446/jkjhwsch',
      createdAt: new Date(1751412192000),
      updatedAt: new Date(1751412305000),
      phoneNumber: '+1 7606593055',
      maxMemberships: 5000,
      disableSharing: false,
      shared: null,
      previewUrl: null,
      themeName: null,
      threadId: null,
    });
  });

  it('typing, with started in milliseconds', () => {
    const channel = groupChannel('108466446');
    const data = sample('typing.1.json');
    assert.deepEqual(parsePushMessage(channel, data), {
      type: 'typing',
      userId: '93645911',
      startedAt: new Date(1751404765673),
      channel,
      receivedAt: null,
      alert: null,
      origin: 'push',
      raw: data,
    });
  });

  it('read_receipt.create (envelope) on a DM channel', () => {
    const channel = directMessageChannel('20000001+20000002');
    const e = parsed('read_receipt.create', parsePushMessage(channel, sample('read_receipt.create.1.json')));
    assert.equal(e.channel.path, '/direct_message/20000001_20000002');
    assert.equal(e.alert, '');
    assert.deepEqual(e.receivedAt, new Date(1785347486000));
    assert.deepEqual(
      { receiptId: e.receiptId, chatId: e.chatId, messageId: e.messageId, userId: e.userId, readAt: e.readAt },
      {
        receiptId: '170000000000000001',
        chatId: '20000001+20000002',
        messageId: '170000000000000001',
        userId: '20000001',
        readAt: new Date(1785347486000),
      },
    );
  });

  it('ping, both the current and the 2011 form, and origin passes through', () => {
    const channel = userChannel('1');
    const data = sample('ping.1.json');
    assert.deepEqual(parsePushMessage(channel, data), { type: 'ping', channel, receivedAt: null, alert: null, origin: 'push', raw: data });
    const old = { ping: true };
    assert.deepEqual(parsePushMessage(channel, old, 'catch-up'), { type: 'ping', channel, receivedAt: null, alert: null, origin: 'catch-up', raw: old });
  });
});

const isaac = { id: '93645911', nickname: 'Isaac' };
const bill = { id: '93645911', nickname: 'bill' };
const sprocket = { id: '131245991', nickname: 'Sprocket' };
const notIsaac = { id: '93645911', nickname: 'Totally NOT Isaac Stanger, SECOND ATTEMPT' };
const poolParty = { id: '71907892652544fa891d65aba59ca4ec', name: 'Pool Party' };
const subgroup = { subgroupDescription: null, subgroupAvatarUrl: null, subgroupType: null, messageEditPeriod: null };

/** A known system event's typed part: `rawData` is checked apart, as the very `event.data`. */
type Typed<E> = E extends unknown ? Omit<E, 'rawData'> : never;
type TypedSystemEvent = Typed<Exclude<SystemEvent, UnknownSystemEvent>>;

/** What each `event.*.json` must become; a new sample without an entry here fails the test. */
const SYSTEM_EVENTS: Record<string, TypedSystemEvent> = {
  'event.bot.add.1.json': { type: 'bot.add', data: { user: isaac, bot: 'jerry' } },
  'event.bot.rename.1.json': { type: 'bot.rename', data: { user: isaac, botNameOld: 'jerry', botNameNew: 'tom' } },
  'event.calendar.event.created.1.json': {
    type: 'calendar.event.created',
    data: { event: poolParty, user: notIsaac, url: 'https://group.me/11wcjx0f81mMMJ' },
  },
  'event.calendar.event.updated.1.json': {
    type: 'calendar.event.updated',
    data: {
      event: { id: '5fae1217e4fc4a4180748b1d02234cfe', name: 'new calendar event edited' },
      user: bill,
      updatedFields: ['calendar.event.field.name'],
    },
  },
  'event.calendar.event.user.not_going.1.json': {
    type: 'calendar.event.user.not_going',
    data: { event: poolParty, user: notIsaac, url: null },
  },
  'event.copilot.group.privacy_notice.1.json': {
    type: 'copilot.group.privacy_notice',
    data: { triggerMessageId: '174959917958988616' },
  },
  'event.group.call.ended.1.json': {
    type: 'group.call.ended',
    data: { user: { id: 'system', nickname: 'system' }, callDuration: 9770 },
  },
  'event.group.like_icon_removed.1.json': { type: 'group.like_icon_removed', data: { user: isaac } },
  'event.group.name_change.1.json': { type: 'group.name_change', data: { user: isaac, name: 'blah' } },
  'event.group.requires_approval_disabled.1.json': { type: 'group.requires_approval_disabled', data: { user: isaac } },
  'event.group.role_change_admin.1.json': {
    type: 'group.role_change_admin',
    data: { user: bill, member: sprocket, role: 'admin' },
  },
  'event.group.subgroup_avatar_change.1.json': {
    type: 'group.subgroup_avatar_change',
    data: {
      ...subgroup,
      user: bill,
      subgroupTopic: 'test',
      parentId: '108126494',
      subgroupAvatarUrl: 'https://i.groupme.com/1170x2532.jpeg.efff7f6b52ee4ea1b25f081f3f4a6dd8',
    },
  },
  'event.group.subgroup_description_change.1.json': {
    type: 'group.subgroup_description_change',
    data: { ...subgroup, user: bill, subgroupTopic: 'test topic', parentId: '108126494', subgroupDescription: 'new description' },
  },
  'event.group.subgroup_name_change.1.json': {
    type: 'group.subgroup_name_change',
    data: { ...subgroup, user: bill, subgroupTopic: 'test', parentId: '108126494' },
  },
  'event.group.subgroup_type_change.1.json': {
    type: 'group.subgroup_type_change',
    data: { ...subgroup, user: bill, subgroupTopic: 'test topic', parentId: '108126494', subgroupType: 'closed', messageEditPeriod: 15 },
  },
  'event.group.topic_change.1.json': { type: 'group.topic_change', data: { user: isaac, topic: 'blah' } },
  'event.group.unshared.1.json': { type: 'group.unshared', data: { user: isaac } },
  'event.group.visibility_set.hidden.1.json': { type: 'group.visibility_set.hidden', data: { user: isaac } },
  'event.membership.announce.added.1.json': {
    type: 'membership.announce.added',
    data: { addedUsers: [sprocket], adderUser: bill },
  },
  'event.membership.announce.rejoined.1.json': { type: 'membership.announce.rejoined', data: { user: sprocket } },
  'event.membership.notifications.removed.1.json': {
    type: 'membership.notifications.removed',
    data: { removerUser: bill, removedUser: sprocket },
  },
  'event.message.pinned.1.json': {
    type: 'message.pinned',
    data: { messageId: '169386238854117065', pinned: true, pinnedBy: '74938777', pinnedAt: new Date(1693862497000) },
  },
  'event.poll.finished.1.json': {
    type: 'poll.finished',
    data: {
      poll: { id: '1693859560560113', subject: 'Up or Down?', expiresAt: null },
      conversationId: '70077952',
      options: [
        { id: '1', title: 'Up', votes: 0, voterIds: [] },
        { id: '2', title: 'Down', votes: 1, voterIds: ['93645911'] },
      ],
    },
  },
};

describe('system events (event.*.json) inside system messages', () => {
  const eventFiles = sampleFiles.filter((f) => f.startsWith('event.'));

  it('has an expectation for every event sample', () => {
    assert.ok(eventFiles.length >= 20);
    assert.deepEqual(eventFiles, Object.keys(SYSTEM_EVENTS).sort());
  });

  for (const file of eventFiles) {
    it(`${file} in a system line.create and in a system DM`, () => {
      const event = loadSample(file);
      const line = {
        type: 'line.create',
        alert: 'GroupMe: something happened',
        subject: {
          id: '175141257527047999', group_id: '108466446', user_id: 'system', sender_id: 'system',
          sender_type: 'system', system: true, name: 'GroupMe', text: 'something happened', created_at: 1751412575, event,
        },
        received_at: 1751412575000,
      };
      const e = parsed('line.create', parsePushMessage(groupChannel('108466446'), line));
      assert.equal(e.message.system, true);
      assert.equal(e.message.senderType, 'system');
      assert.ok(e.message.event && e.message.event.type !== 'unknown', `${file} is typed`);
      const { rawData, ...typed } = e.message.event;
      assert.deepEqual(typed, SYSTEM_EVENTS[file]);
      assert.equal(rawData, (event as { data: unknown }).data, 'rawData is the very event.data');

      // DMs have no `system` field and, in older payloads, no sender_type: the "system"
      // sender alone must make it a system message.
      const dm = {
        type: 'direct_message.create',
        subject: { id: '1', chat_id: '93645911+131245991', recipient_id: '93645911', user_id: 'system', sender_id: 'system', event },
      };
      const d = parsed('direct_message.create', parsePushMessage(userChannel('93645911'), dm));
      assert.equal(d.message.system, true);
      assert.equal(d.message.senderType, 'system');
      assert.deepEqual(d.message.event, e.message.event);
    });
  }
});
