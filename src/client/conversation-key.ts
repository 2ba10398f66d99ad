import { toRestChatId, type PushChannel } from '../events/channel.js';
import type { PushEvent } from '../events/types.js';
import { chatCursorKey, groupCursorKey } from '../recovery/cursor-store.js';

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
      return event.message.conversation === 'group' ? groupCursorKey(event.message.groupId) : chatCursorKey(event.message.chatId);
    case 'message.deleted':
      if (event.groupId !== null) return groupCursorKey(event.groupId);
      if (event.chatId !== null) return chatCursorKey(event.chatId);
      return channelKey(event.channel);
    case 'membership.create':
      return groupCursorKey(event.group.id);
    case 'read_receipt.create':
      return event.chatId !== null ? chatCursorKey(toRestChatId(event.chatId)) : channelKey(event.channel);
    default:
      return channelKey(event.channel);
  }
}

function channelKey(channel: PushChannel): string {
  if (channel.kind === 'group') return groupCursorKey(channel.id);
  if (channel.kind === 'direct_message') return chatCursorKey(toRestChatId(channel.id));
  return '';
}
