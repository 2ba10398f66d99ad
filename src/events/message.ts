import type { Attachment } from './attachments.js';
import type { SystemEvent } from './system-events.js';

/** Who sent a message. GroupMe may add kinds: any other string passes through. */
export type SenderType = 'user' | 'bot' | 'system' | 'service' | (string & {});

/**
 * Where a message was sent from. GroupMe puts an empty location (`{lat: "", lng: "",
 * name: null}`) on nearly every message; that is read as no location (`null`), so a
 * `MessageLocation` always says something.
 */
export interface MessageLocation {
  readonly name: string | null;
  /** Kept as the string GroupMe sends (numbers are turned into strings), to lose no precision. */
  readonly lat: string | null;
  readonly lng: string | null;
  /** 2011-era payloads: whether the location was a Foursquare check-in. */
  readonly foursquareCheckin: boolean;
  /** 2011-era payloads: the Foursquare venue. */
  readonly foursquareVenueId: string | null;
}

/** The fields group messages, DMs and {@link PartialMessage}s share. */
export interface MessageFields {
  readonly id: string;
  readonly sourceGuid: string | null;
  /** The author's user id; `"system"` for system messages. */
  readonly userId: string;
  /** Usually equal to `userId`; a bot's id for bot posts. */
  readonly senderId: string;
  readonly senderType: SenderType;
  readonly name: string;
  readonly avatarUrl: string | null;
  /** May be null: a message can be only attachments. */
  readonly text: string | null;
  /** `null` only when the payload had no usable timestamp. */
  readonly createdAt: Date | null;
  readonly attachments: readonly Attachment[];
  readonly favoritedBy: readonly string[];
  /** When the message was last reacted to (`favorited_at`, on the message of `like.create` and `favorite`). */
  readonly favoritedAt: Date | null;
  /** The reactions on the message, when the payload lists them (REST messages do). */
  readonly reactions: readonly Reaction[];
  /** True for messages GroupMe itself posts (joins, renames, pins, polls...). */
  readonly system: boolean;
  /** What happened, for system messages that carry it. */
  readonly event: SystemEvent | null;
  /** The topic (subgroup) message this one belongs to. */
  readonly parentId: string | null;
  readonly pinnedAt: Date | null;
  readonly pinnedBy: string | null;
  readonly updatedAt: Date | null;
  readonly deletedAt: Date | null;
  readonly deletionActor: string | null;
  /** Where it was sent from, when the sender shared it. */
  readonly location: MessageLocation | null;
  /** The picture of a 2011-era message (later messages carry image attachments instead). */
  readonly pictureUrl: string | null;
  /** The app it was sent from, as GroupMe names it (`gm`...), when the payload says. */
  readonly platform: string | null;
}

/** A message in a group. */
export interface GroupMessage extends MessageFields {
  readonly conversation: 'group';
  readonly groupId: string;
}

/** A direct message. */
export interface DirectMessage extends MessageFields {
  readonly conversation: 'direct_message';
  /** The thread id as REST spells it, `a+b` (smaller id first). */
  readonly chatId: string;
  readonly recipientId: string | null;
}

/** A group message or a DM; `conversation` tells which. */
export type Message = GroupMessage | DirectMessage;

/**
 * A `message.deleted` subject too cut down to be a {@link Message}: it names no author
 * (`user_id` or `sender_id`) or no conversation (`group_id`, `chat_id`, or a sender and
 * recipient). It keeps every field the subject had, under the names a Message uses; what
 * the subject lacked is null (lists are empty). `conversation: null` tells it apart from a
 * full message, so `message.conversation === 'group'` still narrows to {@link GroupMessage}.
 */
export interface PartialMessage extends Omit<MessageFields, 'userId' | 'senderId' | 'senderType' | 'name'> {
  readonly conversation: null;
  /** The group, when the subject named one. */
  readonly groupId: string | null;
  /** The DM thread (`a+b`), when the subject named one or both participants. */
  readonly chatId: string | null;
  readonly recipientId: string | null;
  readonly userId: string | null;
  readonly senderId: string | null;
  /** As the subject declared it, or `system` for a system sender; null when it says nothing. */
  readonly senderType: SenderType | null;
  readonly name: string | null;
}

/** One reaction and everyone who chose it. */
export interface Reaction {
  /** `unicode` for emoji reactions; GroupMe also uses `emoji` (a pack) and others. */
  readonly type: string;
  readonly code: string;
  readonly userIds: readonly string[];
}
