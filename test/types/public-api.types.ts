// Type tests: checked by `tsc --noEmit` (part of npm test), never run. A wrong field or a
// lost narrowing fails the build.
import { expectTypeOf } from 'expect-type';
import {
  GroupMePushError,
  type ErrorCode,
  parsePushMessage,
  PushClient,
  UnsupportedPlatformError,
  WebStorageCursorStore,
  type CursorStore,
  userChannel,
  type DirectMessage,
  type FavoriteEvent,
  type GroupMessage,
  type GroupOfficeModeEvent,
  type JsonObject,
  type LineCreateEvent,
  type Message,
  type MessageDeletedSystemEvent,
  type MessageEdit,
  type PartialMessage,
  type PushEvent,
  type Reaction,
  type SubscribeEvent,
  type SystemEvent,
  type UnknownSystemEvent,
} from '../../src/index.js';

declare const client: PushClient;

// The event map narrows each listener to its event.
client.on('favorite', (e) => {
  expectTypeOf(e).toEqualTypeOf<FavoriteEvent>();
  expectTypeOf(e.reactions).toEqualTypeOf<readonly Reaction[]>();
  expectTypeOf(e.message).toEqualTypeOf<Message>();
  // @ts-expect-error a favorite has no `group` field
  void e.group;
});
client.on('line.create', (e) => {
  expectTypeOf(e).toEqualTypeOf<LineCreateEvent>();
  expectTypeOf(e.message.groupId).toBeString();
  expectTypeOf(e.message.text).toEqualTypeOf<string | null>();
  // @ts-expect-error a group message has no chatId
  void e.message.chatId;
});
// @ts-expect-error not an event name
client.on('line.created', () => undefined);

// A tombstone is always there: a full message, or a partial one told apart by `conversation`.
client.on('message.deleted', (e) => {
  expectTypeOf(e.message).toEqualTypeOf<Message | PartialMessage>();
  if (e.message.conversation === 'group') expectTypeOf(e.message).toEqualTypeOf<GroupMessage>();
  else if (e.message.conversation === 'direct_message') expectTypeOf(e.message).toEqualTypeOf<DirectMessage>();
  else {
    expectTypeOf(e.message).toEqualTypeOf<PartialMessage>();
    expectTypeOf(e.message.text).toEqualTypeOf<string | null>();
    expectTypeOf(e.message.userId).toEqualTypeOf<string | null>();
  }
});
// A partial message has every field a message has, and no other.
expectTypeOf<keyof PartialMessage>().toEqualTypeOf<keyof GroupMessage | keyof DirectMessage>();

client.on('subscribe', (e) => {
  expectTypeOf(e).toEqualTypeOf<SubscribeEvent>();
  expectTypeOf(e.fields).toEqualTypeOf<JsonObject>();
});

// parsePushMessage returns the whole union.
const event = parsePushMessage(userChannel('1'), {});
expectTypeOf(event).toEqualTypeOf<PushEvent>();

// A switch over `type` is exhaustive: adding a member to the union breaks this function.
export function describe(e: PushEvent): string {
  switch (e.type) {
    case 'line.create':
      return e.message.groupId;
    case 'direct_message.create':
      return e.message.chatId;
    case 'like.create':
    case 'favorite':
      return e.reactorId;
    case 'message.deleted':
      return e.messageId;
    case 'message.update':
      return e.message.id;
    case 'membership.create':
      return e.group.name;
    case 'typing':
      return e.userId;
    case 'read_receipt.create':
      return e.messageId;
    case 'ping':
      return 'ping';
    case 'subscribe':
      return 'subscribe';
    case 'unknown':
      return e.reason;
    default:
      return expectNever(e);
  }
}

// System events narrow the same way, with a fallback that keeps unknown ones.
export function systemText(e: SystemEvent): string {
  switch (e.type) {
    case 'group.name_change':
      return e.data.name;
    case 'membership.announce.added':
      return e.data.addedUsers.map((u) => u.nickname).join(', ');
    case 'message.deleted':
      expectTypeOf(e).toEqualTypeOf<MessageDeletedSystemEvent>();
      expectTypeOf(e.data.deletedAt).toEqualTypeOf<Date | null>();
      return e.data.messageId;
    case 'message.update':
      expectTypeOf(e.data.message).toEqualTypeOf<MessageEdit | null>();
      return e.data.message?.text ?? '';
    case 'group.office_mode_enabled':
      // The family's template type narrows to it, exact string kept.
      expectTypeOf(e).toEqualTypeOf<GroupOfficeModeEvent>();
      return e.data.user?.nickname ?? '';
    case 'unknown':
      expectTypeOf(e.data).toBeUnknown();
      return e.originalType ?? '';
    default:
      // Every known system event keeps its data whole, typed as an object.
      expectTypeOf(e.rawData).toEqualTypeOf<JsonObject>();
      return e.type;
  }
}
expectTypeOf<Exclude<SystemEvent, UnknownSystemEvent>['rawData']>().toEqualTypeOf<JsonObject>();
// @ts-expect-error rawData is read-only: it is GroupMe's own object
export const mutate = (e: MessageDeletedSystemEvent): void => { e.rawData.x = 1; };

// In a browser, the DOM's own storages are cursor stores' backends as they are.
expectTypeOf(new WebStorageCursorStore(localStorage)).toMatchTypeOf<CursorStore>();
new WebStorageCursorStore(sessionStorage, 'account-2:');
// @ts-expect-error a Map is not a Storage
new WebStorageCursorStore(new Map<string, string>());
expectTypeOf<UnsupportedPlatformError>().toMatchTypeOf<GroupMePushError>();
// Codes are one documented union, not any string.
expectTypeOf<GroupMePushError['code']>().toEqualTypeOf<ErrorCode>();

function expectNever(value: never): never {
  throw new Error(`unexpected ${String(value)}`);
}
