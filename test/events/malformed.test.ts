import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupChannel, parsePushMessage, type PushEvent } from '../../src/index.js';

const channel = groupChannel('1');

function unknownOf(data: unknown): Extract<PushEvent, { type: 'unknown' }> {
  const event = parsePushMessage(channel, data);
  assert.equal(event.type, 'unknown');
  assert.equal(event.raw, data);
  return event as Extract<PushEvent, { type: 'unknown' }>;
}

describe('parsePushMessage on hostile input', () => {
  it('makes unknown events of non-objects and typeless objects', () => {
    for (const data of [null, undefined, 'str', 42, true, [], [1, 2], { no: 'type' }, { type: 5 }]) unknownOf(data);
    assert.equal(unknownOf({ type: 5 }).originalType, null);
  });

  it('keeps unrecognised types with their name', () => {
    const e = unknownOf({ type: 'reaction.sparkle', subject: { id: '1' } });
    assert.equal(e.originalType, 'reaction.sparkle');
    assert.match(e.reason, /unrecognised type "reaction\.sparkle"/);
  });

  it('explains known types whose payload is unusable', () => {
    assert.match(unknownOf({ type: 'line.create' }).reason, /line\.create/);
    unknownOf({ type: 'line.create', subject: null });
    unknownOf({ type: 'line.create', subject: { id: { nested: 1 }, group_id: '1' } });
    unknownOf({ type: 'line.create', subject: { id: '1' } });
    unknownOf({ type: 'favorite', subject: { line: 'nope', user_id: '1' } });
    unknownOf({ type: 'typing' });
    unknownOf({ type: 'read_receipt.create', subject: { id: '1' } });
    unknownOf({ type: 'message.deleted', subject: {} });
    unknownOf({ type: 'membership.create', subject: [] });
  });

  it('survives getters that throw, null prototypes and __proto__ keys', () => {
    const trap = { type: 'line.create' };
    Object.defineProperty(trap, 'subject', { enumerable: true, get: () => { throw new Error('boom'); } });
    assert.equal(parsePushMessage(channel, trap).type, 'unknown');

    const bare = Object.assign(Object.create(null) as object, { type: 'typing', user_id: '7', started: 1 });
    assert.equal(parsePushMessage(channel, bare).type, 'typing');

    const proto = JSON.parse('{"type":"line.create","subject":{"__proto__":{"id":"1"},"group_id":"2"}}') as unknown;
    assert.equal(parsePushMessage(channel, proto).type, 'unknown');
    assert.equal(({} as Record<string, unknown>).id, undefined, 'no prototype pollution');
  });

  it('reads strange but usable fields leniently', () => {
    const e = parsePushMessage(channel, {
      type: 'line.create',
      received_at: 'yesterday',
      subject: {
        id: 175141257527047935, // a number beyond 2^53: kept as the string JSON gave
        group_id: 1,
        user_id: 2,
        created_at: 1e300,
        deleted_at: 'garbage',
        attachments: 'not an array',
        favorited_by: [1, '2', null, {}],
        event: { type: 'group.future_thing', data: { x: 1 } },
      },
    });
    assert.equal(e.type, 'line.create');
    if (e.type !== 'line.create') return;
    assert.equal(e.message.id, '175141257527047940');
    assert.equal(e.message.groupId, '1');
    assert.equal(e.message.createdAt, null);
    assert.equal(e.message.deletedAt, null);
    assert.equal(e.receivedAt, null);
    assert.deepEqual(e.message.attachments, []);
    assert.deepEqual(e.message.favoritedBy, ['1', '2']);
    assert.deepEqual(e.message.event, { type: 'unknown', originalType: 'group.future_thing', data: { x: 1 } });
  });

  it('keeps unknown attachments and types known ones', () => {
    const e = parsePushMessage(channel, {
      type: 'line.create',
      subject: {
        id: '1', group_id: '2', user_id: '3',
        attachments: [
          { type: 'image', url: 'https://i.groupme.com/x' },
          { type: 'mentions', user_ids: ['-1', 5], loci: [[0, 9], 'bad'] },
          { type: 'reply', reply_id: '10', base_reply_id: '9' },
          { type: 'hologram', depth: 3 },
          { type: 'image' },
          'junk',
        ],
      },
    });
    assert.equal(e.type, 'line.create');
    if (e.type !== 'line.create') return;
    assert.deepEqual(e.message.attachments, [
      { type: 'image', url: 'https://i.groupme.com/x' },
      { type: 'mentions', userIds: ['-1', '5'], loci: [[0, 9]] },
      { type: 'reply', replyId: '10', baseReplyId: '9' },
      { type: 'unknown', originalType: 'hologram', raw: { type: 'hologram', depth: 3 } },
      { type: 'unknown', originalType: 'image', raw: { type: 'image' } },
      { type: 'unknown', originalType: null, raw: 'junk' },
    ]);
  });
});
