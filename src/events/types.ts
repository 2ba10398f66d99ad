import type { PushChannel } from './channel.js';
import type { DirectMessage, GroupMessage, Message, PartialMessage, Reaction } from './message.js';
import type { JsonObject } from './system-events.js';

/**
 * Where an event came from: the live push stream, or a REST fetch of messages missed
 * while disconnected (these are delivered as the same typed events).
 */
export type EventOrigin = 'push' | 'catch-up';

/** Fields every push event carries. */
export interface PushEventBase {
  readonly channel: PushChannel;
  /** When GroupMe says it sent the event (`received_at`), if the payload had it. */
  readonly receivedAt: Date | null;
  /** The notification text a phone would show (`alert`), if any. */
  readonly alert: string | null;
  readonly origin: EventOrigin;
  /** The original `data` of the Bayeux message, untouched. */
  readonly raw: unknown;
}

/** A new message in a group (including system messages such as joins and pins). */
export interface LineCreateEvent extends PushEventBase {
  readonly type: 'line.create';
  readonly message: GroupMessage;
}

/** A new direct message. */
export interface DirectMessageCreateEvent extends PushEventBase {
  readonly type: 'direct_message.create';
  readonly message: DirectMessage;
}

interface ReactionFields {
  /** The message reacted to. */
  readonly message: Message;
  /** Every reaction now on the message. */
  readonly reactions: readonly Reaction[];
  /** Who reacted (or removed a reaction). */
  readonly reactorId: string;
  /** The reaction this reactor chose, when GroupMe says. */
  readonly userReaction: Reaction | null;
}

/** Someone reacted to one of *your* messages (on `/user`). */
export interface LikeCreateEvent extends PushEventBase, ReactionFields {
  readonly type: 'like.create';
}

/** Reactions on any message changed (on `/group` and `/direct_message`; also on removal). */
export interface FavoriteEvent extends PushEventBase, ReactionFields {
  readonly type: 'favorite';
}

/**
 * A message was deleted (on `/group` and `/direct_message`). The payload may be partial:
 * only `messageId` is certain. On `/user`, deletions arrive instead as system messages
 * whose `event` is a {@link MessageDeletedSystemEvent}.
 */
export interface MessageDeletedEvent extends PushEventBase {
  readonly type: 'message.deleted';
  readonly messageId: string;
  readonly groupId: string | null;
  /** The DM thread (`a+b`), for a deleted DM. */
  readonly chatId: string | null;
  readonly deletedAt: Date | null;
  /** Who deleted it, as GroupMe says: `sender`, `admin`... */
  readonly deletionActor: string | null;
  /**
   * The tombstone, with everything the subject held (its text included). A full
   * {@link Message} when the subject names its author and conversation; otherwise a
   * {@link PartialMessage}, whose `conversation` is null.
   */
  readonly message: Message | PartialMessage;
}

/** A message was edited; `message` is its new state. */
export interface MessageUpdateEvent extends PushEventBase {
  readonly type: 'message.update';
  readonly message: Message;
}

/** The group, as `membership.create` describes it (a cut-down group). */
export interface GroupSummary {
  readonly id: string;
  readonly name: string;
  readonly type: string | null;
  readonly description: string | null;
  readonly creatorId: string | null;
  readonly avatarUrl: string | null;
  readonly shareUrl: string | null;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
  /** The group's SMS number. */
  readonly phoneNumber: string | null;
  readonly maxMemberships: number | null;
  /** Whether members may not share the group's join link. */
  readonly disableSharing: boolean | null;
  /** Whether the group's join link is on. */
  readonly shared: boolean | null;
  readonly previewUrl: string | null;
  readonly themeName: string | null;
  readonly threadId: string | null;
}

/** You were added to a group. */
export interface MembershipCreateEvent extends PushEventBase {
  readonly type: 'membership.create';
  readonly group: GroupSummary;
}

/** Someone is typing in the conversation of `channel`. */
export interface TypingEvent extends PushEventBase {
  readonly type: 'typing';
  readonly userId: string;
  readonly startedAt: Date | null;
}

/** A DM was read. */
export interface ReadReceiptCreateEvent extends PushEventBase {
  readonly type: 'read_receipt.create';
  readonly receiptId: string | null;
  readonly chatId: string | null;
  readonly messageId: string;
  readonly userId: string;
  readonly readAt: Date | null;
}

/** GroupMe's keep-alive, about every 30 s on each subscribed channel. */
export interface PingEvent extends PushEventBase {
  readonly type: 'ping';
}

/**
 * A push-level `{"type": "subscribe"}`. What GroupMe means by it is undocumented (two
 * clients skip it) and no capture shows more than its type, so besides the base fields it
 * offers the payload's fields as they came.
 */
export interface SubscribeEvent extends PushEventBase {
  readonly type: 'subscribe';
  /** Every field of the payload, as sent: the same object as `raw`, typed as an object. */
  readonly fields: JsonObject;
}

/**
 * Anything else: a type this version does not know, or a known one whose payload could
 * not be read. `raw` holds the payload intact; `reason` says why it was not typed.
 */
export interface UnknownEvent extends PushEventBase {
  readonly type: 'unknown';
  /** The payload's own `type`, when it had a string one. */
  readonly originalType: string | null;
  readonly reason: string;
}

/** Every event the push service can deliver, discriminated by `type`. */
export type PushEvent =
  | LineCreateEvent
  | DirectMessageCreateEvent
  | LikeCreateEvent
  | FavoriteEvent
  | MessageDeletedEvent
  | MessageUpdateEvent
  | MembershipCreateEvent
  | TypingEvent
  | ReadReceiptCreateEvent
  | PingEvent
  | SubscribeEvent
  | UnknownEvent;

/** The `type` of every event: the names `client.on()` accepts for push events. */
export type PushEventType = PushEvent['type'];

/** Each event type mapped to its event, for narrowing by name. */
export type PushEventMap = { [K in PushEventType]: Extract<PushEvent, { type: K }> };
