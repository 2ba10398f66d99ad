import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupChannel, userChannel } from '../../src/events/channel.js';
import type { PartialMessage } from '../../src/events/message.js';
import { parsePushMessage } from '../../src/events/parse.js';
import type { PushEvent, PushEventType } from '../../src/events/types.js';
import { reachable, systemRenames } from './reachable.js';

function typed<T extends PushEventType>(type: T, data: unknown): Extract<PushEvent, { type: T }> {
  const event = parsePushMessage(userChannel('93645911'), data);
  assert.equal(event.type, type, event.type === 'unknown' ? event.reason : undefined);
  return event as Extract<PushEvent, { type: T }>;
}

// On /user, edits and deletions arrive as system messages (protocol README, "Event
// payloads"): a line.create or direct_message.create whose subject.event is
// `message.deleted` (message_id, deleted_at as ISO-8601, deletion_actor) or
// `message.update` (message_id, sender_id, updated_at in seconds, message {text, attachments}).

function systemLine(event: unknown): Record<string, unknown> {
  return {
    type: 'line.create',
    alert: '',
    subject: {
      id: '175141322200000001', group_id: '108466446', user_id: 'system', sender_id: 'system', sender_type: 'system',
      system: true, name: 'GroupMe', text: 'Sprocket deleted a message.', created_at: 1751413222, attachments: [], event,
    },
    received_at: 1751413222000,
  };
}

function systemDm(event: unknown): Record<string, unknown> {
  return {
    type: 'direct_message.create',
    subject: {
      id: '175141322200000002', chat_id: '93645911+131245991', recipient_id: '93645911', user_id: 'system',
      sender_id: 'system', sender_type: 'system', name: 'GroupMe', text: 'x', created_at: 1751413222, event,
    },
  };
}

const deletion = {
  type: 'message.deleted',
  data: { message_id: '175141312593142427', deleted_at: '2025-07-01T23:40:22.8912Z', deletion_actor: 'sender' },
};
const edit = {
  type: 'message.update',
  data: {
    message_id: '175141308755377678',
    sender_id: '131245991',
    updated_at: 1751413700,
    message: {
      text: 'hola @Isaac',
      attachments: [
        { type: 'mentions', user_ids: ['93645911'], loci: [[5, 6]] },
        { type: 'image', url: 'https://i.groupme.com/1x1.png.abc' },
        { type: 'hologram', depth: 3 },
      ],
    },
  },
};

describe('edits and deletions as /user hears of them (system messages)', () => {
  it('message.deleted in a system line.create', () => {
    const e = typed('line.create', systemLine(deletion));
    assert.equal(e.message.system, true);
    assert.deepEqual(e.message.event, {
      type: 'message.deleted',
      data: {
        messageId: '175141312593142427',
        deletedAt: new Date('2025-07-01T23:40:22.891Z'),
        deletionActor: 'sender',
        deleterId: null,
      },
      rawData: deletion.data,
    });
    assert.ok(e.message.event?.type === 'message.deleted' && e.message.event.rawData === deletion.data);
    assert.deepEqual(reachable(deletion, e.message.event, systemRenames(deletion.type)), []);
  });

  it('message.deleted in a system DM, with deleted_at in seconds and a deleter_id', () => {
    const event = { type: 'message.deleted', data: { message_id: 5, deleted_at: 1693862956, deletion_actor: 'admin', deleter_id: 74938777 } };
    const e = typed('direct_message.create', systemDm(event));
    assert.equal(e.message.system, true);
    assert.ok(e.message.event?.type === 'message.deleted');
    assert.deepEqual(e.message.event.data, {
      messageId: '5',
      deletedAt: new Date(1693862956000),
      deletionActor: 'admin',
      deleterId: '74938777',
    });
    assert.deepEqual(reachable(event, e.message.event, systemRenames(event.type)), []);
  });

  it('message.update in a system line.create, attachments read as on messages', () => {
    const e = typed('line.create', systemLine(edit));
    assert.deepEqual(e.message.event, {
      type: 'message.update',
      data: {
        messageId: '175141308755377678',
        senderId: '131245991',
        updatedAt: new Date(1751413700000),
        message: {
          text: 'hola @Isaac',
          attachments: [
            { type: 'mentions', userIds: ['93645911'], loci: [[5, 6]] },
            { type: 'image', url: 'https://i.groupme.com/1x1.png.abc' },
            { type: 'unknown', originalType: 'hologram', raw: edit.data.message.attachments[2] },
          ],
        },
      },
      rawData: edit.data,
    });
    assert.deepEqual(reachable(edit, e.message.event, systemRenames(edit.type)), []);
  });

  it('message.update in a system DM', () => {
    const d = typed('direct_message.create', systemDm(edit));
    assert.ok(d.message.event?.type === 'message.update');
    assert.equal(d.message.event.data.message?.text, 'hola @Isaac');
  });

  it('keeps what it can of a thin event, and all of its data', () => {
    const thin = { type: 'message.update', data: { message_id: '7', message: 'not an object', updated_at: '1751413700' } };
    const e = typed('line.create', systemLine(thin));
    assert.deepEqual(e.message.event, {
      type: 'message.update',
      data: { messageId: '7', senderId: null, updatedAt: null, message: null },
      rawData: thin.data,
    });
    const noText = typed('line.create', systemLine({ type: 'message.update', data: { message_id: '7', message: {} } }));
    assert.deepEqual(noText.message.event?.type === 'message.update' && noText.message.event.data.message, { text: null, attachments: [] });
    const bareDelete = typed('line.create', systemLine({ type: 'message.deleted', data: { message_id: '7' } }));
    assert.deepEqual(bareDelete.message.event?.type === 'message.deleted' && bareDelete.message.event.data, {
      messageId: '7', deletedAt: null, deletionActor: null, deleterId: null,
    });
  });

  it('does not type an edit or a deletion that names no message, but keeps its data', () => {
    for (const type of ['message.deleted', 'message.update']) {
      const data = { deleted_at: '2025-07-01T23:40:22Z', message: { text: 'x' } };
      const e = typed('line.create', systemLine({ type, data }));
      assert.deepEqual(e.message.event, { type: 'unknown', originalType: type, data });
    }
  });
});

describe('a partial message.deleted tombstone keeps everything it had', () => {
  it('without an author: its text and every field, as a PartialMessage', () => {
    const subject = {
      id: '175141312593142427', group_id: '108466446', text: 'This message was deleted', deleted_at: '2025-07-01T23:40:22.8912Z',
      deletion_actor: 'admin', created_at: 1751413125, name: 'Sprocket', source_guid: 'A438', attachments: [{ type: 'image', url: 'https://i/x' }],
      location: { lat: '', lng: '', name: null }, favorited_by: ['1'], platform: 'gm',
    };
    const data = { type: 'message.deleted', subject };
    const e = parsePushMessage(groupChannel('108466446'), data);
    assert.ok(e.type === 'message.deleted');
    const expected: PartialMessage = {
      conversation: null,
      id: '175141312593142427',
      groupId: '108466446',
      chatId: null,
      recipientId: null,
      sourceGuid: 'A438',
      userId: null,
      senderId: null,
      senderType: null,
      name: 'Sprocket',
      avatarUrl: null,
      text: 'This message was deleted',
      createdAt: new Date(1751413125000),
      attachments: [{ type: 'image', url: 'https://i/x' }],
      favoritedBy: ['1'],
      favoritedAt: null,
      reactions: [],
      system: false,
      event: null,
      parentId: null,
      pinnedAt: null,
      pinnedBy: null,
      updatedAt: null,
      deletedAt: new Date('2025-07-01T23:40:22.891Z'),
      deletionActor: 'admin',
      location: null,
      pictureUrl: null,
      platform: 'gm',
    };
    assert.deepEqual(e.message, expected);
    assert.equal(e.groupId, '108466446');
    assert.equal(e.chatId, null);
    assert.deepEqual(reachable(data, e, { subject: 'message' }), []);
  });

  it('with only message_id, sender and recipient: a DM partial, thread derived', () => {
    const data = {
      type: 'message.deleted',
      subject: { message_id: '5', sender_id: '131245991', recipient_id: '93645911', text: 'gone', deleted_at: 1751413222 },
    };
    const e = parsePushMessage(userChannel('93645911'), data);
    assert.ok(e.type === 'message.deleted' && e.message.conversation === null);
    assert.equal(e.messageId, '5');
    assert.equal(e.message.id, '5');
    assert.equal(e.message.text, 'gone');
    assert.equal(e.message.senderId, '131245991');
    assert.equal(e.message.userId, '131245991');
    assert.equal(e.message.recipientId, '93645911');
    assert.equal(e.chatId, '93645911+131245991');
    assert.equal(e.message.chatId, '93645911+131245991');
    assert.deepEqual(reachable(data, e, { subject: 'message', 'subject.message_id': 'id' }), []);
  });

  it('a system sender makes a system partial', () => {
    const e = parsePushMessage(groupChannel('1'), { type: 'message.deleted', subject: { id: '5', sender_id: 'system' } });
    assert.ok(e.type === 'message.deleted' && e.message.conversation === null);
    assert.deepEqual([e.message.senderType, e.message.system], ['system', true]);
  });

  it('a complete subject is still a full Message', () => {
    const e = parsePushMessage(groupChannel('1'), { type: 'message.deleted', subject: { id: '5', group_id: '1', user_id: '2', text: 't' } });
    assert.ok(e.type === 'message.deleted' && e.message.conversation === 'group');
    assert.equal(e.message.groupId, '1');
    assert.equal(e.message.text, 't');
  });
});
