import { parseChannelPath } from '../events/channel.js';
import { parsePushMessage } from '../events/parse.js';
import type { EventOrigin, PushEvent } from '../events/types.js';
import { StreamEntryError } from '../errors/stream-entry-error.js';
import { chatCursorKey, groupCursorKey } from '../recovery/cursor-store.js';

/** The format version written in every entry's `v` field. */
export const STREAM_ENTRY_VERSION = '1';

/**
 * One event as a stream entry, field by field. Every value is a string, as Redis stores
 * them. A consumer in another language reads `raw` (GroupMe's own JSON payload) and the
 * routing fields; a Node consumer calls {@link decodeStreamEntry} to get the typed event.
 */
export interface StreamEntryFields {
  /** Format version, `"1"`. */
  readonly v: string;
  /** The event's `type`, e.g. `line.create`. */
  readonly type: string;
  /** The user id of the GroupMe account whose connection received the event. */
  readonly account: string;
  /** The Bayeux channel it came on, e.g. `/user/123` or `/group/456`. */
  readonly channel: string;
  /** `push` (live) or `catch-up` (fetched over REST after a reconnect). */
  readonly origin: string;
  /** The message id, for events about one message; empty otherwise. */
  readonly id: string;
  /** The conversation as the cursor store names it (`group:<id>`, `dm:<a+b>`), when known; empty otherwise. */
  readonly conversation: string;
  /** The event's original payload (`event.raw`) as JSON. */
  readonly raw: string;
}

/** A decoded entry: who received it, and the typed event exactly as the client emitted it. */
export interface StreamEntry {
  /** The stream entry id, e.g. `1719000000000-0`, when decoded from an XREAD reply. */
  readonly entryId: string | null;
  readonly account: string;
  readonly event: PushEvent;
}

/** The message id an event is about, if it is about one message. */
export function messageIdOf(event: PushEvent): string | null {
  switch (event.type) {
    case 'line.create':
    case 'direct_message.create':
    case 'message.update':
    case 'like.create':
    case 'favorite':
      return event.message.id;
    case 'message.deleted':
    case 'read_receipt.create':
      return event.messageId;
    default:
      return null;
  }
}

/** The cursor key of a new message's conversation; null for every other event. */
export function conversationOf(event: PushEvent): string | null {
  if (event.type === 'line.create') return groupCursorKey(event.message.groupId);
  if (event.type === 'direct_message.create') return chatCursorKey(event.message.chatId);
  return null;
}

/** The fields an event is written with. */
export function encodeStreamEntry(account: string, event: PushEvent): StreamEntryFields {
  return {
    v: STREAM_ENTRY_VERSION,
    type: event.type,
    account,
    channel: event.channel.path,
    origin: event.origin,
    id: messageIdOf(event) ?? '',
    conversation: conversationOf(event) ?? '',
    raw: JSON.stringify(event.raw ?? null),
  };
}

/**
 * Reads an entry back into the typed event, by the same parser the client used: for any
 * entry {@link encodeStreamEntry} wrote, `decodeStreamEntry(...).event` deep-equals the
 * event that was written. Accepts the flat `[field, value, ...]` array XREAD and
 * XREADGROUP return, or an object; throws `StreamEntryError` for an entry it cannot read.
 *
 * @example
 * const [[, entries]] = await redis.xreadgroup('GROUP', 'archive', 'worker-1', 'COUNT', 100, 'STREAMS', 'groupme:events', '>');
 * for (const [id, fields] of entries) {
 *   const { account, event } = decodeStreamEntry(fields, id);
 *   if (event.type === 'line.create') console.log(account, event.message.text);
 * }
 */
export function decodeStreamEntry(fields: readonly string[] | Readonly<Record<string, string>>, entryId: string | null = null): StreamEntry {
  const record = Array.isArray(fields) ? pairs(fields as readonly string[], entryId) : (fields as Readonly<Record<string, string>>);
  const field = (name: keyof StreamEntryFields): string => {
    const value = record[name];
    if (typeof value !== 'string') throw new StreamEntryError(`it has no "${name}" field`, entryId);
    return value;
  };
  const version = field('v');
  if (version !== STREAM_ENTRY_VERSION) throw new StreamEntryError(`its format version "${version}" is not one this version of groupme-push reads (${STREAM_ENTRY_VERSION})`, entryId);
  const channel = parseChannelPath(field('channel'));
  if (!channel) throw new StreamEntryError(`its channel "${record.channel}" is not a GroupMe push channel`, entryId);
  const origin = field('origin');
  if (origin !== 'push' && origin !== 'catch-up') throw new StreamEntryError(`its origin "${origin}" is neither push nor catch-up`, entryId);
  let raw: unknown;
  try {
    raw = JSON.parse(field('raw'));
  } catch {
    throw new StreamEntryError('its raw payload is not JSON', entryId);
  }
  return { entryId, account: field('account'), event: parsePushMessage(channel, raw, origin as EventOrigin) };
}

function pairs(flat: readonly string[], entryId: string | null): Record<string, string> {
  if (flat.length % 2 !== 0) throw new StreamEntryError('its fields do not come in name/value pairs', entryId);
  const record: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) record[flat[i]!] = flat[i + 1]!;
  return record;
}
