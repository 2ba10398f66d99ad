import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { directMessageChannel, groupChannel, parsePushMessage, userChannel, type PushEvent } from '../../src/index.js';

const samplesDir = new URL('../../../shared/protocol/samples/', import.meta.url);

function sample(name: string): unknown {
  const json = JSON.parse(readFileSync(new URL(name, samplesDir), 'utf8')) as Record<string, unknown>;
  // Some samples are whole Bayeux envelopes; the parser takes their `data`.
  return 'data' in json && 'channel' in json ? json.data : json;
}

function parsed<T extends PushEvent['type']>(type: T, event: PushEvent): Extract<PushEvent, { type: T }> {
  assert.equal(event.type, type, event.type === 'unknown' ? event.reason : undefined);
  return event as Extract<PushEvent, { type: T }>;
}

describe('parsePushMessage on real payloads', () => {
  it('line.create (2025) with every field', () => {
    const data = sample('line.create.2.json');
    const e = parsed('line.create', parsePushMessage(userChannel('93645911'), data));
    assert.equal(e.raw, data);
    assert.equal(e.origin, 'push');
    assert.equal(e.alert, 'Isaac: hi');
    assert.equal(e.receivedAt?.getTime(), 1751412575000);
    assert.deepEqual(
      { ...e.message, attachments: [...e.message.attachments], favoritedBy: [...e.message.favoritedBy] },
      {
        id: '175141257527047935',
        sourceGuid: '155641929db154909fabf69e089abee8',
        userId: '93645911',
        senderId: '93645911',
        senderType: 'user',
        name: 'Isaac',
        avatarUrl: 'https://i.groupme.com/200x200.jpeg.94e0ac5891aa4e6f8ad4bbf961defe4d',
        text: 'hi',
        createdAt: new Date(1751412575000),
        attachments: [],
        favoritedBy: [],
        system: false,
        event: null,
        parentId: null,
        pinnedAt: null,
        pinnedBy: null,
        updatedAt: null,
        deletedAt: null,
        deletionActor: null,
        conversation: 'group',
        groupId: '108466446',
      },
    );
  });

  it('line.create (2011 long-polling era) without sender fields', () => {
    const e = parsed('line.create', parsePushMessage(userChannel('185'), sample('line.create.1.json')));
    assert.equal(e.message.id, '15717');
    assert.equal(e.message.userId, '162');
    assert.equal(e.message.senderId, '162');
    assert.equal(e.message.senderType, 'user');
    assert.equal(e.receivedAt, null);
  });

  it('direct_message.create and a system DM carrying message.pinned', () => {
    const dm = parsed('direct_message.create', parsePushMessage(userChannel('93645911'), sample('direct_message.create.1.json')));
    assert.equal(dm.message.chatId, '93645911+131245991');
    assert.equal(dm.message.recipientId, '93645911');
    assert.equal(dm.message.conversation, 'direct_message');

    const sys = parsed('direct_message.create', parsePushMessage(userChannel('93645911'), sample('direct_message.create.system.message.pinned.1.json')));
    assert.equal(sys.message.system, true);
    assert.equal(sys.message.senderType, 'system');
    assert.deepEqual(sys.message.event, {
      type: 'message.pinned',
      data: { messageId: '175140957719383985', pinned: true, pinnedBy: '131245991', pinnedAt: new Date(1751409766000) },
    });
  });

  it('like.create and favorite', () => {
    const like = parsed('like.create', parsePushMessage(userChannel('20000001'), sample('like.create.1.json')));
    assert.equal(like.reactorId, '20000003');
    assert.equal(like.message.id, '170000000000000001');
    assert.deepEqual(like.reactions, [{ type: 'unicode', code: '👍', userIds: ['20000003'] }]);
    assert.deepEqual(like.userReaction, { type: 'unicode', code: '👍', userIds: ['20000003'] });

    const fav = parsed('favorite', parsePushMessage(groupChannel('108466446'), sample('favorite.1.json')));
    assert.equal(fav.reactorId, '131245991');
    assert.deepEqual(fav.message.favoritedBy, ['93645911', '131245991']);
    assert.equal(fav.userReaction, null);
    assert.equal(fav.reactions[0]?.code, '❤️');
  });

  it('message.deleted with an ISO deleted_at, and message.update', () => {
    const del = parsed('message.deleted', parsePushMessage(groupChannel('108466446'), sample('message.deleted.1.json')));
    assert.equal(del.messageId, '175141312593142427');
    assert.equal(del.groupId, '108466446');
    assert.equal(del.deletedAt?.toISOString(), '2025-07-01T23:40:22.891Z');
    assert.equal(del.deletionActor, 'sender');
    assert.equal(del.message?.deletedAt?.toISOString(), '2025-07-01T23:40:22.891Z');

    const upd = parsed('message.update', parsePushMessage(groupChannel('108466446'), sample('message.update.1.json')));
    assert.equal(upd.message.text, 'hola');
    assert.equal(upd.message.updatedAt?.getTime(), 1751413700000);
    assert.equal(upd.message.pinnedBy, null, 'an empty pinned_by means not pinned');
  });

  it('membership.create, typing, read_receipt.create and ping', () => {
    const m = parsed('membership.create', parsePushMessage(userChannel('93645911'), sample('membership.create.1.json')));
    assert.deepEqual(m.group, {
      id: '108466446',
      name: 'test',
      type: 'private',
      description: '',
      creatorId: '131245991',
      avatarUrl: null,
      shareUrl: 'https://groupme.com/join_group/108466446/jkjhwsch',
      createdAt: new Date(1751412192000),
      updatedAt: new Date(1751412305000),
    });

    const t = parsed('typing', parsePushMessage(groupChannel('1'), sample('typing.1.json')));
    assert.equal(t.userId, '93645911');
    assert.equal(t.startedAt?.getTime(), 1751404765673);

    const r = parsed('read_receipt.create', parsePushMessage(directMessageChannel('20000001+20000002'), sample('read_receipt.create.1.json')));
    assert.equal(r.channel.path, '/direct_message/20000001_20000002');
    assert.deepEqual([r.receiptId, r.chatId, r.messageId, r.userId, r.readAt?.getTime()], [
      '170000000000000001', '20000001+20000002', '170000000000000001', '20000001', 1785347486000,
    ]);

    parsed('ping', parsePushMessage(userChannel('1'), sample('ping.1.json')));
    parsed('ping', parsePushMessage(userChannel('1'), { ping: true }));
  });

  it('types every system event sample, with ids as strings', () => {
    const files = readdirSync(samplesDir).filter((f) => f.startsWith('event.') && f.endsWith('.json'));
    assert.ok(files.length >= 20);
    for (const file of files) {
      const event = sample(file) as { type: string };
      const e = parsed('line.create', parsePushMessage(groupChannel('1'), {
        type: 'line.create',
        subject: { id: '9', group_id: '1', user_id: 'system', sender_id: 'system', system: true, text: 'x', event },
      }));
      assert.notEqual(e.message.event?.type, 'unknown', `${file} should be a known system event`);
      assert.equal(e.message.event?.type, event.type, file);
      // Every id inside a typed system event is a string, whatever the payload used.
      const numbers = JSON.stringify(e.message.event, (key, value: unknown) =>
        /(^id$|Id$|Ids$)/.test(key) && typeof value === 'number' ? assert.fail(`${file}: ${key} is a number`) : value);
      assert.ok(numbers);
    }
    const added = parsePushMessage(groupChannel('1'), {
      type: 'line.create',
      subject: { id: '9', group_id: '1', system: true, event: sample('event.membership.announce.added.1.json') },
    });
    assert.ok(added.type === 'line.create' && added.message.event?.type === 'membership.announce.added');
    if (added.type === 'line.create' && added.message.event?.type === 'membership.announce.added') {
      assert.deepEqual(added.message.event.data.addedUsers, [{ id: '131245991', nickname: 'Sprocket' }]);
    }
  });
});
