import type { PushChannel } from './channel.js';
import type { Message, PartialMessage } from './message.js';
import { parseGroupSummary } from './parse-group.js';
import { parseDirectMessage, parseGroupMessage, parseMessage, parsePartialMessage, parseThreadId } from './parse-message.js';
import { parseReaction, parseReactions } from './parse-reactions.js';
import { id, isoOrSeconds, millis, obj, seconds, str, type Json } from '../util/read-json.js';
import type { EventOrigin, PushEvent, UnknownEvent } from './types.js';

/**
 * Turns the `data` of a Bayeux message into a typed event. Pure and total: for any input
 * it returns an event and never throws. What it cannot type becomes an `unknown` event
 * with a `reason`; `raw` is always the input itself, untouched, so nothing is ever lost.
 *
 * @example
 * const event = parsePushMessage(groupChannel('108466446'), { type: 'typing', user_id: '1', started: 1751404765673 });
 * if (event.type === 'typing') console.log(event.userId);
 */
export function parsePushMessage(channel: PushChannel, data: unknown, origin: EventOrigin = 'push'): PushEvent {
  try {
    return parse(channel, data, origin);
  } catch {
    // Only hostile input gets here (a getter that throws, a revoked Proxy): it is still
    // delivered, as an unknown event, rather than taking the stream down.
    return unknown(channel, data, origin, null, null, typeOf(data), 'the payload could not be read');
  }
}

function parse(channel: PushChannel, data: unknown, origin: EventOrigin): PushEvent {
  const d = obj(data);
  if (!d) return unknown(channel, data, origin, null, null, null, 'the payload is not an object');
  const receivedAt = millis(d.received_at);
  const alert = str(d.alert);
  const type = d.type;
  if (typeof type !== 'string') {
    // The 2011-era long-polling servers pinged with `{ping: true}` and no type.
    if (d.ping === true && type === undefined) return { type: 'ping', channel, receivedAt, alert, origin, raw: data };
    return unknown(channel, data, origin, receivedAt, alert, null, type === undefined ? 'the payload has no type' : 'the payload type is not a string');
  }
  const event = typed(d, type, channel, receivedAt, alert, origin, data);
  // A failure comes back as its reason, and becomes the unknown event here: a `fail`
  // closure over these variables would be allocated for every event, typed or not.
  return typeof event === 'string' ? unknown(channel, data, origin, receivedAt, alert, type, event) : event;
}

/**
 * The event of a known `type`, or why it is unknown. Every event is built as one object
 * literal: `{...base, type}` is a slow path in V8 and this runs for every event, pings included.
 * Each names its type with a literal, not the payload's string: a literal is one interned
 * string, so the emitter's lookup by type reuses its hash and every later `type ===` check
 * compares a pointer, where the payload's copy would be hashed and compared character by
 * character for each event.
 */
function typed(
  d: Json,
  type: string,
  channel: PushChannel,
  receivedAt: Date | null,
  alert: string | null,
  origin: EventOrigin,
  raw: unknown,
): PushEvent | string {
  switch (type) {
    case 'ping':
      return { type: 'ping', channel, receivedAt, alert, origin, raw };

    case 'subscribe':
      return { type: 'subscribe', fields: d, channel, receivedAt, alert, origin, raw };

    case 'line.create': {
      const s = d.subject;
      const message = parseGroupMessage(s);
      return message ? { type: 'line.create', message, channel, receivedAt, alert, origin, raw } : messageProblem(type, s, 'group_id');
    }

    case 'direct_message.create': {
      const s = d.subject;
      const message = parseDirectMessage(s);
      return message ? { type: 'direct_message.create', message, channel, receivedAt, alert, origin, raw } : messageProblem(type, s, 'chat_id (or sender_id and recipient_id)');
    }

    case 'like.create':
    case 'favorite': {
      const s = obj(d.subject);
      if (!s) return `${type} without a subject`;
      const message = parseMessage(s.line);
      if (!message) return `${type} without a readable subject.line message`;
      const reactorId = id(s.user_id);
      if (reactorId === null) return `${type} without a subject.user_id (the reactor)`;
      const reactions = parseReactions(s.reactions);
      const userReaction = parseReaction(s.user_reaction);
      return { type: type === 'favorite' ? 'favorite' : 'like.create', message, reactions, reactorId, userReaction, channel, receivedAt, alert, origin, raw };
    }

    case 'message.deleted': {
      const s = obj(d.subject);
      if (!s) return 'message.deleted without a subject';
      const messageId = id(s.id) ?? id(s.message_id);
      if (messageId === null) return 'message.deleted without a subject id';
      const message = tombstone(s);
      if (!message) return 'message.deleted without a subject id';
      return {
        type: 'message.deleted',
        messageId,
        groupId: message.conversation === 'direct_message' ? null : message.groupId,
        chatId: message.conversation === 'group' ? null : message.chatId,
        deletedAt: isoOrSeconds(s.deleted_at),
        deletionActor: str(s.deletion_actor),
        message,
        channel,
        receivedAt,
        alert,
        origin,
        raw,
      };
    }

    case 'message.update': {
      const s = d.subject;
      const message = parseMessage(s);
      return message ? { type: 'message.update', message, channel, receivedAt, alert, origin, raw } : messageProblem(type, s, 'group_id or chat_id');
    }

    case 'membership.create': {
      const group = parseGroupSummary(d.subject);
      return group ? { type: 'membership.create', group, channel, receivedAt, alert, origin, raw } : 'membership.create without a subject group id';
    }

    case 'typing': {
      const userId = id(d.user_id);
      if (userId === null) return 'typing without a user_id';
      return { type: 'typing', userId, startedAt: millis(d.started), channel, receivedAt, alert, origin, raw };
    }

    case 'read_receipt.create': {
      const s = obj(d.subject);
      if (!s) return 'read_receipt.create without a subject';
      const messageId = id(s.message_id);
      const userId = id(s.user_id);
      if (messageId === null || userId === null) return 'read_receipt.create without a subject message_id and user_id';
      return {
        type: 'read_receipt.create',
        receiptId: id(s.id),
        chatId: parseThreadId(s),
        messageId,
        userId,
        readAt: seconds(s.read_at),
        channel,
        receivedAt,
        alert,
        origin,
        raw,
      };
    }

    default:
      return `unrecognised type "${type}"`;
  }
}

function unknown(
  channel: PushChannel,
  raw: unknown,
  origin: EventOrigin,
  receivedAt: Date | null,
  alert: string | null,
  originalType: string | null,
  reason: string,
): UnknownEvent {
  return { type: 'unknown', originalType, reason, channel, receivedAt, alert, origin, raw };
}

// The subject of a tombstone may be cut down to little more than an id: it is a full
// message only when it also names its author (or `message.userId` would be an empty string
// pretending to be a person) and its conversation. Otherwise it is a partial message, which
// still keeps every field the subject had, its text first of all.
function tombstone(s: Json): Message | PartialMessage | undefined {
  const whole = id(s.user_id) === null && id(s.sender_id) === null ? undefined : parseMessage(s);
  return whole ?? parsePartialMessage(s);
}

// Only reached on failure, so it may take its time to say precisely what was missing.
function messageProblem(type: string, subject: unknown, thread: string): string {
  const s = obj(subject);
  if (!s) return `${type} without a subject`;
  if (id(s.id) === null) return `${type} without a subject id`;
  return `${type} without a subject ${thread}`;
}

function typeOf(data: unknown): string | null {
  try {
    return str(obj(data)?.type);
  } catch {
    return null;
  }
}
