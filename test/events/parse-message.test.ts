import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { userChannel } from '../../src/events/channel.js';
import { parsePushMessage } from '../../src/events/parse.js';
import { parseDirectMessage, parseGroupMessage, parseMessage } from '../../src/events/parse-message.js';

// REST rows (GET /groups/:id/messages, GET /direct_messages) go through the same parser as
// push subjects; these are the shapes REST adds.

const restDm = {
  attachments: [],
  avatar_url: null,
  conversation_id: '93645911+131245991',
  created_at: 1751409577,
  favorited_by: [],
  id: '175140957719383985',
  name: 'Isaac',
  recipient_id: '93645911',
  sender_id: '131245991',
  sender_type: 'user',
  source_guid: 'F7DD8CA8-2040-4AEC-A256-6517885C15B6',
  text: 'hola',
  user_id: '131245991',
};

describe('parseMessage and friends (shared with the REST layer)', () => {
  it('reads a REST DM row (conversation_id) exactly as the push DM with chat_id', () => {
    const { conversation_id, ...rest } = restDm;
    const pushed = parsePushMessage(userChannel('93645911'), { type: 'direct_message.create', subject: { ...rest, chat_id: conversation_id } });
    assert.ok(pushed.type === 'direct_message.create');
    assert.deepEqual(parseDirectMessage(restDm), pushed.message);
    assert.deepEqual(parseMessage(restDm), pushed.message);
  });

  it('derives a missing thread id as lo+hi, comparing ids as numbers', () => {
    const { conversation_id: _, ...row } = restDm;
    // As strings "131245991" < "93645911"; as numbers it is the other way round.
    assert.equal(parseDirectMessage(row)?.chatId, '93645911+131245991');
    assert.equal(parseDirectMessage({ ...row, sender_id: '93645911', user_id: '93645911', recipient_id: '131245991' })?.chatId, '93645911+131245991');
    assert.equal(parseDirectMessage({ ...row, sender_id: 5, user_id: 5, recipient_id: 40 })?.chatId, '5+40');
    assert.equal(parseDirectMessage({ id: '1', user_id: '2' }), undefined, 'no recipient: no thread');
  });

  it('spells a thread id given in the push form a_b as a+b', () => {
    assert.equal(parseDirectMessage({ ...restDm, conversation_id: '93645911_131245991' })?.chatId, '93645911+131245991');
  });

  it('tells group messages from DMs by group_id', () => {
    const group = { id: '1', group_id: '2', user_id: '3' };
    assert.equal(parseMessage(group)?.conversation, 'group');
    assert.equal(parseMessage(restDm)?.conversation, 'direct_message');
    assert.equal(parseMessage({ ...restDm, group_id: null })?.conversation, 'direct_message');
    assert.equal(parseMessage({ ...restDm, group_id: '9' })?.conversation, 'group');
    assert.equal(parseMessage({ ...restDm, group_id: {} }), undefined, 'a broken group_id is not taken for a DM');
    assert.equal(parseGroupMessage(restDm), undefined);
    assert.equal(parseDirectMessage(group), undefined);
    for (const junk of [null, undefined, 1, 'x', [], [group], {}]) {
      assert.equal(parseMessage(junk), undefined);
      assert.equal(parseGroupMessage(junk), undefined);
      assert.equal(parseDirectMessage(junk), undefined);
    }
  });

  it('fills sender fields from each other and infers the sender type', () => {
    const bot = parseGroupMessage({ id: '1', group_id: '2', user_id: '3', sender_id: '77', sender_type: 'bot' });
    assert.deepEqual([bot?.userId, bot?.senderId, bot?.senderType, bot?.system], ['3', '77', 'bot', false]);

    const onlySender = parseGroupMessage({ id: '1', group_id: '2', sender_id: '77' });
    assert.deepEqual([onlySender?.userId, onlySender?.senderId, onlySender?.senderType], ['77', '77', 'user']);

    const nobody = parseGroupMessage({ id: '1', group_id: '2' });
    assert.deepEqual([nobody?.userId, nobody?.senderId, nobody?.name], ['', '', '']);

    const flagged = parseGroupMessage({ id: '1', group_id: '2', user_id: '3', system: true });
    assert.deepEqual([flagged?.senderType, flagged?.system], ['system', true]);

    const systemUser = parseGroupMessage({ id: '1', group_id: '2', user_id: 'system' });
    assert.deepEqual([systemUser?.senderId, systemUser?.senderType, systemUser?.system], ['system', 'system', true]);

    const service = parseGroupMessage({ id: '1', group_id: '2', user_id: '3', sender_type: 'service' });
    assert.deepEqual([service?.senderType, service?.system], ['service', false]);

    const future = parseGroupMessage({ id: '1', group_id: '2', user_id: '3', sender_type: 'hologram' });
    assert.equal(future?.senderType, 'hologram', 'unknown sender types pass through');
  });

  it('reads every dated field in the unit GroupMe uses for it', () => {
    const m = parseGroupMessage({
      id: '1', group_id: '2', user_id: '3',
      created_at: 1751412575, updated_at: 1751413700, pinned_at: 1751409766, pinned_by: 131245991, deleted_at: 1751413222,
      parent_id: 108126494, deletion_actor: 'admin',
    });
    assert.deepEqual(m?.createdAt, new Date(1751412575000));
    assert.deepEqual(m?.updatedAt, new Date(1751413700000));
    assert.deepEqual(m?.pinnedAt, new Date(1751409766000));
    assert.deepEqual(m?.deletedAt, new Date(1751413222000));
    assert.equal(m?.pinnedBy, '131245991');
    assert.equal(m?.parentId, '108126494');
    assert.equal(m?.deletionActor, 'admin');
  });

  it('keeps what REST rows and old payloads add: reactions, platform, location, picture_url, favorited_at', () => {
    const m = parseMessage({
      ...restDm,
      platform: 'gm',
      picture_url: 'https://i.groupme.com/old.jpeg',
      favorited_at: 1751412810,
      reactions: [{ type: 'unicode', code: '❤️', user_ids: ['93645911'] }, { code: 5 }],
      location: { lat: '40.7128', lng: -74.006, name: 'New York', foursquare_checkin: true, foursquare_venue_id: '4b5' },
    });
    assert.equal(m?.platform, 'gm');
    assert.equal(m?.pictureUrl, 'https://i.groupme.com/old.jpeg');
    assert.deepEqual(m?.favoritedAt, new Date(1751412810000));
    assert.deepEqual(m?.reactions, [{ type: 'unicode', code: '❤️', userIds: ['93645911'] }]);
    assert.deepEqual(m?.location, { name: 'New York', lat: '40.7128', lng: '-74.006', foursquareCheckin: true, foursquareVenueId: '4b5' });
  });

  it('reads a location that says nothing as none, and one that says anything as a location', () => {
    const at = (location: unknown) => parseMessage({ ...restDm, location })?.location;
    assert.equal(at({ lat: '', lng: '', name: null }), null);
    assert.equal(at({ name: null, lng: null, foursquare_checkin: false, foursquare_venue_id: null, lat: null }), null);
    assert.equal(at('here'), null);
    assert.equal(at(undefined), null);
    assert.deepEqual(at({ lat: '', lng: '', name: 'Home' }), { name: 'Home', lat: null, lng: null, foursquareCheckin: false, foursquareVenueId: null });
    assert.deepEqual(at({ lat: 0, lng: 0 }), { name: null, lat: '0', lng: '0', foursquareCheckin: false, foursquareVenueId: null });
  });

  it('hands out one frozen empty list for every absent list, and a fresh array for each present one', () => {
    const a = parseDirectMessage(restDm)!;
    const b = parseDirectMessage({ ...restDm, favorited_by: ['1'], attachments: 'not a list' })!;
    assert.deepEqual(a.attachments, []);
    assert.ok(Object.isFrozen(a.attachments) && (a.attachments as unknown) === a.favoritedBy && (a.favoritedBy as unknown) === a.reactions);
    assert.equal(b.attachments, a.attachments);
    assert.deepEqual(b.favoritedBy, ['1']);
    assert.ok(!Object.isFrozen(b.favoritedBy));
  });
});
