import { chatIdFor, toRestChatId } from './channel.js';
import type { DirectMessage, GroupMessage, Message, MessageFields, MessageLocation, PartialMessage, SenderType } from './message.js';
import { parseAttachments } from './parse-attachments.js';
import { parseReactions } from './parse-reactions.js';
import { parseSystemEvent } from './parse-system-event.js';
import { coordinate, id, ids, isoOrSeconds, nonEmpty, obj, seconds, str, type Json } from '../util/read-json.js';

// Push `subject`s and REST `messages[]` / `direct_messages[]` rows share one shape, so the
// REST layer parses with these same functions: a message caught up over HTTP and the same
// message seen live are identical objects.

/** A group message; undefined without an `id` and a `group_id`. */
export function parseGroupMessage(value: unknown): GroupMessage | undefined {
  const m = obj(value);
  if (!m) return undefined;
  const messageId = id(m.id);
  const groupId = id(m.group_id);
  if (messageId === null || groupId === null) return undefined;
  const message = messageFields(m, messageId) as Writable<GroupMessage>;
  message.conversation = 'group';
  message.groupId = groupId;
  return message;
}

/**
 * A direct message; undefined without an `id` and a thread. The thread is `chat_id` (push),
 * `conversation_id` (REST), or else derived from the two participants.
 */
export function parseDirectMessage(value: unknown): DirectMessage | undefined {
  const m = obj(value);
  if (!m) return undefined;
  const messageId = id(m.id);
  const chatId = parseThreadId(m);
  if (messageId === null || chatId === null) return undefined;
  const message = messageFields(m, messageId) as Writable<DirectMessage>;
  message.conversation = 'direct_message';
  message.chatId = chatId;
  message.recipientId = id(m.recipient_id);
  return message;
}

/**
 * Either kind. A `group_id` makes it a group message (and a bad one makes it nothing:
 * guessing a DM from a broken group row would file it in the wrong conversation).
 */
export function parseMessage(value: unknown): Message | undefined {
  const m = obj(value);
  if (!m) return undefined;
  return m.group_id !== undefined && m.group_id !== null ? parseGroupMessage(m) : parseDirectMessage(m);
}

/**
 * What a `message.deleted` subject holds when it is too cut down for {@link parseMessage}
 * (no author, or no conversation): every field it has, the others null. Undefined without
 * an id (`id`, or `message_id` in some tombstones).
 */
export function parsePartialMessage(value: unknown): PartialMessage | undefined {
  const m = obj(value);
  if (!m) return undefined;
  const messageId = id(m.id) ?? id(m.message_id);
  if (messageId === null) return undefined;
  const userId = id(m.user_id) ?? id(m.sender_id);
  const senderId = id(m.sender_id) ?? userId;
  const declared = m.sender_type;
  const isSystem = m.system === true || senderId === 'system' || userId === 'system';
  const senderType = typeof declared === 'string' && declared !== '' ? declared : isSystem ? 'system' : null;
  const groupId = id(m.group_id);
  // The fields a full message has, with the author's left null where the subject is silent.
  // A spread is slower than one literal, but this runs only for cut-down tombstones.
  return {
    ...messageFields(m, messageId),
    conversation: null,
    groupId,
    // As for parseMessage, a group_id makes it a group's message: no DM thread is derived.
    chatId: groupId === null ? parseThreadId(m) : null,
    recipientId: id(m.recipient_id),
    userId,
    senderId,
    senderType,
    name: str(m.name),
    system: isSystem || senderType === 'system',
  };
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

// One object literal, finished by the callers with two or three stores: `{...fields, x}`
// would be simpler to read but is a slow path in V8 (hundreds of ns) on every message.
function messageFields(m: Json, messageId: string): MessageFields {
  const userId = id(m.user_id) ?? id(m.sender_id) ?? '';
  const senderId = id(m.sender_id) ?? userId;
  const senderType = senderTypeOf(m, userId, senderId);
  const event = m.event;
  return {
    id: messageId,
    sourceGuid: str(m.source_guid),
    userId,
    senderId,
    senderType,
    name: str(m.name) ?? '',
    avatarUrl: nonEmpty(m.avatar_url),
    text: str(m.text),
    createdAt: seconds(m.created_at),
    attachments: parseAttachments(m.attachments),
    favoritedBy: ids(m.favorited_by),
    favoritedAt: seconds(m.favorited_at),
    reactions: parseReactions(m.reactions),
    system: m.system === true || senderType === 'system',
    event: event === undefined || event === null ? null : parseSystemEvent(event),
    parentId: id(m.parent_id),
    pinnedAt: seconds(m.pinned_at),
    pinnedBy: id(m.pinned_by),
    updatedAt: seconds(m.updated_at),
    deletedAt: isoOrSeconds(m.deleted_at),
    deletionActor: str(m.deletion_actor),
    location: parseLocation(m.location),
    pictureUrl: nonEmpty(m.picture_url),
    platform: nonEmpty(m.platform),
  };
}

/**
 * `location` of a message. GroupMe sends `{lat: "", lng: "", name: null}` on nearly every
 * message (and 2011-era servers all nulls plus `foursquare_checkin: false`): a location
 * that says nothing is null.
 */
function parseLocation(value: unknown): MessageLocation | null {
  const l = obj(value);
  if (!l) return null;
  const name = nonEmpty(l.name);
  const lat = coordinate(l.lat);
  const lng = coordinate(l.lng);
  const foursquareCheckin = l.foursquare_checkin === true;
  const foursquareVenueId = id(l.foursquare_venue_id);
  if (name === null && lat === null && lng === null && !foursquareCheckin && foursquareVenueId === null) return null;
  return { name, lat, lng, foursquareCheckin, foursquareVenueId };
}

// DMs and 2011-era group messages carry no `sender_type`; system messages still give
// themselves away by `system: true` or the "system" sender.
function senderTypeOf(m: Json, userId: string, senderId: string): SenderType {
  const declared = m.sender_type;
  if (typeof declared === 'string' && declared !== '') return declared;
  return m.system === true || senderId === 'system' || userId === 'system' ? 'system' : 'user';
}

/**
 * The DM thread a payload names, as REST spells it (`a+b`): `chat_id` (push),
 * `conversation_id` (REST), or else derived from sender and recipient; null if none.
 */
export function parseThreadId(m: Json): string | null {
  const given = id(m.chat_id) ?? id(m.conversation_id);
  // The push channel spells a thread `a_b`; a message always carries the REST `a+b`.
  if (given !== null) return given.includes('_') && !given.includes('+') ? toRestChatId(given) : given;
  const sender = id(m.sender_id) ?? id(m.user_id);
  const recipient = id(m.recipient_id);
  return sender !== null && recipient !== null ? chatIdFor(sender, recipient) : null;
}
