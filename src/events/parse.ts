import type { PushChannel } from './channel.js';
import { parseDirectMessage, parseGroupMessage, parseMessage, parseReaction, parseReactions } from './parse-message.js';
import { id, isoOrSeconds, millis, obj, seconds, str, type Json } from './read.js';
import type { EventOrigin, GroupSummary, PushEvent, PushEventBase, UnknownEvent } from './types.js';

/**
 * Turns the `data` of a Bayeux message into a typed event. Pure and total: for any input
 * it returns an event and never throws. What it cannot type becomes an `unknown` event
 * whose `raw` is the input itself, so nothing is ever lost.
 *
 * @example
 * const event = parsePushMessage(groupChannel('108466446'), { type: 'typing', user_id: '1', started: 1751404765673 });
 * if (event.type === 'typing') console.log(event.userId);
 */
export function parsePushMessage(channel: PushChannel, data: unknown, origin: EventOrigin = 'push'): PushEvent {
  try {
    return parse(channel, data, origin);
  } catch {
    // Only hostile input gets here (a getter that throws, a Proxy): it is still delivered.
    return unknown(base(channel, undefined, origin, data), typeOf(data), 'the payload could not be read');
  }
}

function parse(channel: PushChannel, data: unknown, origin: EventOrigin): PushEvent {
  const d = obj(data);
  if (!d) return unknown(base(channel, undefined, origin, data), null, 'the payload is not an object');
  const b = base(channel, d, origin, data);
  const type = str(d.type);
  if (type === null) {
    // The 2011-era long-polling servers pinged with `{ping: true}`.
    if (d.ping === true) return { ...b, type: 'ping' };
    return unknown(b, null, 'the payload has no type');
  }
  switch (type) {
    case 'ping':
      return { ...b, type };
    case 'line.create': {
      const message = parseGroupMessage(d.subject);
      return message ? { ...b, type, message } : unknown(b, type, 'line.create without a group message subject');
    }
    case 'direct_message.create': {
      const message = parseDirectMessage(d.subject);
      return message ? { ...b, type, message } : unknown(b, type, 'direct_message.create without a message subject');
    }
    case 'like.create':
    case 'favorite': {
      const s = obj(d.subject);
      const message = s && parseMessage(s.line);
      const reactorId = s ? id(s.user_id) : null;
      if (!s || !message || reactorId === null) return unknown(b, type, `${type} without a message and a reactor`);
      return {
        ...b,
        type,
        message,
        reactions: parseReactions(s.reactions),
        reactorId,
        userReaction: parseReaction(s.user_reaction),
      };
    }
    case 'message.deleted': {
      const s = obj(d.subject);
      const messageId = s ? (id(s.id) ?? id(s.message_id)) : null;
      if (!s || messageId === null) return unknown(b, type, 'message.deleted without a message id');
      return {
        ...b,
        type,
        messageId,
        groupId: id(s.group_id),
        chatId: id(s.chat_id) ?? id(s.conversation_id),
        deletedAt: isoOrSeconds(s.deleted_at),
        deletionActor: str(s.deletion_actor),
        message: parseMessage(s) ?? null,
      };
    }
    case 'message.update': {
      const message = parseMessage(d.subject);
      return message ? { ...b, type, message } : unknown(b, type, 'message.update without a message subject');
    }
    case 'membership.create': {
      const group = groupSummary(d.subject);
      return group ? { ...b, type, group } : unknown(b, type, 'membership.create without a group subject');
    }
    case 'typing': {
      const userId = id(d.user_id);
      return userId === null ? unknown(b, type, 'typing without a user id') : { ...b, type, userId, startedAt: millis(d.started) };
    }
    case 'read_receipt.create': {
      const s = obj(d.subject);
      const messageId = s ? id(s.message_id) : null;
      const userId = s ? id(s.user_id) : null;
      if (!s || messageId === null || userId === null) return unknown(b, type, 'read_receipt.create without a message and a reader');
      return {
        ...b,
        type,
        receiptId: id(s.id),
        chatId: id(s.chat_id),
        messageId,
        userId,
        readAt: seconds(s.read_at),
      };
    }
    default:
      return unknown(b, type, `unrecognised type "${type}"`);
  }
}

function base(channel: PushChannel, d: Json | undefined, origin: EventOrigin, raw: unknown): PushEventBase {
  return {
    channel,
    receivedAt: d ? millis(d.received_at) : null,
    alert: d ? str(d.alert) : null,
    origin,
    raw,
  };
}

function unknown(b: PushEventBase, originalType: string | null, reason: string): UnknownEvent {
  return { ...b, type: 'unknown', originalType, reason };
}

function typeOf(data: unknown): string | null {
  try {
    return str(obj(data)?.type);
  } catch {
    return null;
  }
}

function groupSummary(value: unknown): GroupSummary | null {
  const g = obj(value);
  const groupId = g ? (id(g.id) ?? id(g.group_id)) : null;
  if (!g || groupId === null) return null;
  return {
    id: groupId,
    name: str(g.name) ?? '',
    type: str(g.type),
    description: str(g.description),
    creatorId: id(g.creator_id) ?? id(g.creator_user_id),
    avatarUrl: str(g.avatar_url) ?? str(g.image_url),
    shareUrl: str(g.share_url),
    createdAt: seconds(g.created_at),
    updatedAt: seconds(g.updated_at),
  };
}
