import type { DirectMessageCreateEvent, LineCreateEvent, PushEvent } from './types.js';

/** A new message, in a group or a DM thread: the events that carry the ids cursors and dedupe follow. */
export type NewMessageEvent = LineCreateEvent | DirectMessageCreateEvent;

export function isNewMessage(event: PushEvent): event is NewMessageEvent {
  return event.type === 'line.create' || event.type === 'direct_message.create';
}
