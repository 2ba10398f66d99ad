import { toRestChatId, type PushChannel } from '../events/channel.js';
import type { PushEvent } from '../events/types.js';
import { chatCursorKey, groupCursorKey } from '../recovery/cursor-store.js';

/**
 * Keys are asked for on every event, from ids the parser hands over fresh each time: a new
 * `group:<id>` string per event would cost an allocation, and a flattening and a hash in
 * each of the half-dozen Maps the event then visits. So the key of the conversation seen
 * last is kept, and the others in a table cleared when it grows large.
 */
class KeyCache {
  readonly #make: (id: string) => string;
  readonly #keys = new Map<string, string>();
  #lastId: string | undefined;
  #lastKey = '';

  constructor(make: (id: string) => string) {
    this.#make = make;
  }

  get(id: string): string {
    if (id === this.#lastId) return this.#lastKey;
    let key = this.#keys.get(id);
    if (key === undefined) {
      if (this.#keys.size >= 1_000) this.#keys.clear();
      key = this.#make(id);
      this.#keys.set(id, key);
    }
    this.#lastId = id;
    this.#lastKey = key;
    return key;
  }
}

const groupKeys = new KeyCache(groupCursorKey);
const chatKeys = new KeyCache(chatCursorKey);
const groupKey = (groupId: string): string => groupKeys.get(groupId);
const chatKey = (chatId: string): string => chatKeys.get(chatId);

/**
 * The conversation an event belongs to, as a cursor key (`group:<id>`, `dm:<a+b>`), or ''
 * for events of no conversation (pings and unknowns on `/user`). Events are delivered in
 * order per key, so a reaction, an edit or a deletion never overtakes its message.
 */
export function conversationKeyOf(event: PushEvent): string {
  switch (event.type) {
    case 'line.create':
    case 'direct_message.create':
    case 'like.create':
    case 'favorite':
    case 'message.update':
      return event.message.conversation === 'group' ? groupKey(event.message.groupId) : chatKey(event.message.chatId);
    case 'message.deleted':
      if (event.groupId !== null) return groupKey(event.groupId);
      if (event.chatId !== null) return chatKey(event.chatId);
      return channelKey(event.channel);
    case 'membership.create':
      return groupKey(event.group.id);
    case 'read_receipt.create':
      return event.chatId !== null ? chatKey(toRestChatId(event.chatId)) : channelKey(event.channel);
    default:
      return channelKey(event.channel);
  }
}

function channelKey(channel: PushChannel): string {
  if (channel.kind === 'group') return groupKey(channel.id);
  if (channel.kind === 'direct_message') return chatKey(toRestChatId(channel.id));
  return '';
}
