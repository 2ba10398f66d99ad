import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupChannel } from '../../src/events/channel.js';
import { parsePushMessage } from '../../src/events/parse.js';
import type { SystemEvent, UnknownSystemEvent } from '../../src/events/system-events.js';
import { reachable, systemRenames } from './reachable.js';

// System event types seen in the wild but without a captured sample (protocol README,
// "Event payloads"). Payloads are shaped as other clients and the community docs read
// them; since none is certain, every field is optional: an empty `data` still types.

type Typed<E> = E extends unknown ? Omit<E, 'rawData'> : never;
type TypedSystemEvent = Typed<Exclude<SystemEvent, UnknownSystemEvent>>;

/** The system event a `line.create` carrying `event` types to. */
function systemEventOf(event: unknown): SystemEvent | null {
  const e = parsePushMessage(groupChannel('2'), {
    type: 'line.create',
    subject: { id: '1', group_id: '2', user_id: 'system', sender_id: 'system', system: true, text: 'x', event },
  });
  assert.equal(e.type, 'line.create', e.type === 'unknown' ? e.reason : undefined);
  return e.type === 'line.create' ? e.message.event : null;
}

const isaacWire = { id: 93645911, nickname: 'Isaac' };
const isaac = { id: '93645911', nickname: 'Isaac' };

interface Case {
  readonly event: { readonly type: string; readonly data: Record<string, unknown> };
  readonly typed: TypedSystemEvent;
  /** What the same type becomes with `data: {}`. */
  readonly empty: TypedSystemEvent['data'];
}

const CASES: readonly Case[] = [
  {
    event: { type: 'membership.nickname_changed', data: { user: isaacWire, name: 'Zac' } },
    typed: { type: 'membership.nickname_changed', data: { user: isaac, name: 'Zac' } },
    empty: { user: null, name: null },
  },
  {
    event: { type: 'membership.avatar_changed', data: { user: isaacWire, avatar_url: 'https://i.groupme.com/1x1.png.abc' } },
    typed: { type: 'membership.avatar_changed', data: { user: isaac, avatarUrl: 'https://i.groupme.com/1x1.png.abc' } },
    empty: { user: null, avatarUrl: null },
  },
  {
    event: { type: 'membership.notifications.autokicked', data: { user: isaacWire } },
    typed: { type: 'membership.notifications.autokicked', data: { user: isaac } },
    empty: { user: null },
  },
  {
    event: { type: 'group.like_icon_set', data: { user: isaacWire, like_icon: { pack_id: 1, pack_index: 36, type: 'emoji' } } },
    typed: { type: 'group.like_icon_set', data: { user: isaac, likeIcon: { type: 'emoji', packId: 1, packIndex: 36 } } },
    empty: { user: null, likeIcon: null },
  },
  {
    event: { type: 'group.theme_change', data: { user: isaacWire, theme_name: 'stars' } },
    typed: { type: 'group.theme_change', data: { user: isaac, themeName: 'stars' } },
    empty: { user: null, themeName: null },
  },
  {
    event: { type: 'group.office_mode_enabled', data: { user: isaacWire } },
    typed: { type: 'group.office_mode_enabled', data: { user: isaac } },
    empty: { user: null },
  },
  {
    event: { type: 'group.office_mode_disabled', data: { user: isaacWire } },
    typed: { type: 'group.office_mode_disabled', data: { user: isaac } },
    empty: { user: null },
  },
  {
    event: { type: 'group.added_to_directory', data: { user: isaacWire, directory_name: 'State University' } },
    typed: { type: 'group.added_to_directory', data: { user: isaac, directoryName: 'State University' } },
    empty: { user: null, directoryName: null },
  },
  {
    event: { type: 'group.type_change', data: { user: isaacWire, type: 'announcement', message_edit_period: 43200 } },
    typed: { type: 'group.type_change', data: { user: isaac, groupType: 'announcement', messageEditPeriod: 43200 } },
    empty: { user: null, groupType: null, messageEditPeriod: null },
  },
  {
    event: { type: 'bot.del', data: { user: isaacWire, bot: 'tom' } },
    typed: { type: 'bot.del', data: { user: isaac, bot: 'tom' } },
    empty: { user: null, bot: null },
  },
  {
    event: { type: 'calendar.event.starting', data: { call_started: false, event_name: 'Pool Party', minutes: '15' } },
    typed: { type: 'calendar.event.starting', data: { eventName: 'Pool Party', minutes: 15, callStarted: false } },
    empty: { eventName: null, minutes: null, callStarted: null },
  },
  {
    event: {
      type: 'calendar.event.user.undecided',
      data: { event: { id: '44da0b1d715841d8b855d0ae0833b9e8', name: 'test event' }, user: { id: '93645911', nickname: 'Isaac' } },
    },
    typed: {
      type: 'calendar.event.user.undecided',
      data: { event: { id: '44da0b1d715841d8b855d0ae0833b9e8', name: 'test event' }, user: isaac },
    },
    empty: { event: null, user: null },
  },
  {
    event: {
      type: 'poll.reminder',
      data: { conversation: { id: '70077952' }, poll: { expiration: 1693946000, id: '1693859560560113', subject: 'Up or Down?' } },
    },
    typed: {
      type: 'poll.reminder',
      data: { conversationId: '70077952', poll: { id: '1693859560560113', subject: 'Up or Down?', expiresAt: new Date(1693946000000) } },
    },
    empty: { poll: null, conversationId: null },
  },
  {
    event: {
      type: 'group.shared',
      data: {
        user: isaacWire,
        share_url: 'https://groupme.com/join_group/108126494/1Os5CrBg',
        share_qr_code_url: 'https://image.groupme.com/qr/join_group/108126494/1Os5CrBg/preview',
      },
    },
    typed: {
      type: 'group.shared',
      data: {
        user: isaac,
        shareUrl: 'https://groupme.com/join_group/108126494/1Os5CrBg',
        shareQrCodeUrl: 'https://image.groupme.com/qr/join_group/108126494/1Os5CrBg/preview',
      },
    },
    empty: { user: null, shareUrl: null, shareQrCodeUrl: null },
  },
];

describe('system events seen in the wild, without samples', () => {
  for (const { event, typed, empty } of CASES) {
    it(`${event.type}: typed, with its data kept whole`, () => {
      const e = systemEventOf(event);
      assert.ok(e && e.type !== 'unknown', `${event.type} is typed`);
      const { rawData, ...rest } = e;
      assert.deepEqual(rest, typed);
      assert.equal(rawData, event.data, 'rawData is the very event.data');
      assert.deepEqual(reachable(event, e, systemRenames(event.type)), []);
    });

    it(`${event.type}: still typed when every field is missing`, () => {
      const data = {};
      const e = systemEventOf({ type: event.type, data });
      assert.ok(e && e.type !== 'unknown');
      assert.equal(e.type, event.type);
      assert.deepEqual(e.data, empty);
      assert.equal(e.rawData, data);
    });
  }

  it('keeps fields this version does not type in rawData', () => {
    const data = { user: { ...isaacWire, avatar_url: 'https://i.groupme.com/a' }, theme_name: 'stars', theme_colour: '#fff' };
    const e = systemEventOf({ type: 'group.theme_change', data });
    assert.ok(e?.type === 'group.theme_change');
    assert.equal(e.rawData.theme_colour, '#fff');
    assert.deepEqual(e.rawData.user, data.user);
  });

  it('keeps the exact type of any office mode event, and no bare prefix', () => {
    for (const type of ['group.office_mode_enabled', 'group.office_mode_disabled', 'group.office_mode_scheduled']) {
      const e = systemEventOf({ type, data: { user: isaacWire } });
      assert.equal(e?.type, type);
      assert.deepEqual(e?.type !== 'unknown' && e?.data, { user: isaac });
    }
    const bare = systemEventOf({ type: 'group.office_mode_', data: { user: isaacWire } });
    assert.deepEqual(bare, { type: 'unknown', originalType: 'group.office_mode_', data: { user: isaacWire } });
  });

  it('reads junk fields as null, never failing the type', () => {
    const e = systemEventOf({ type: 'calendar.event.starting', data: { minutes: 'soon', event_name: 5, call_started: 'yes' } });
    assert.deepEqual(e?.type === 'calendar.event.starting' && e.data, { eventName: null, minutes: null, callStarted: null });
    assert.deepEqual(
      (systemEventOf({ type: 'calendar.event.starting', data: { minutes: 0 } }) as { data: unknown }).data,
      { eventName: null, minutes: 0, callStarted: null },
    );
    const icon = systemEventOf({ type: 'group.like_icon_set', data: { like_icon: { pack_id: '1' } } });
    assert.deepEqual(icon?.type === 'group.like_icon_set' && icon.data.likeIcon, { type: null, packId: null, packIndex: null });
  });

  it('types nothing without a data object, keeping what there was', () => {
    for (const data of [undefined, null, 'x', [1]]) {
      assert.deepEqual(systemEventOf({ type: 'bot.del', data }), { type: 'unknown', originalType: 'bot.del', data });
    }
  });
});
