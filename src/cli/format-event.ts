import type { Message } from '../events/message.js';
import type { PushEvent } from '../events/types.js';

/** Names for ids, when the caller knows them (conversation and user names). */
export interface NameBook {
  conversation(event: PushEvent): string;
  user(userId: string): string;
}

/** How parts of the line are highlighted; identity functions (the default) mean no colour. */
export interface EventStyle {
  readonly dim: (text: string) => string;
  readonly cyan: (text: string) => string;
}

const NO_STYLE: EventStyle = { dim: (t) => t, cyan: (t) => t };

/** One readable line per event: time, conversation, who, what. */
export function formatEvent(event: PushEvent, names: NameBook, style: EventStyle = NO_STYLE): string {
  const time = (event.receivedAt ?? new Date()).toISOString().slice(11, 19);
  const catchUp = event.origin === 'catch-up' ? style.dim(' (caught up)') : '';
  return `${style.dim(time)}  ${style.cyan(names.conversation(event).padEnd(18))}  ${describe(event, names)}${catchUp}`;
}

function describe(event: PushEvent, names: NameBook): string {
  switch (event.type) {
    case 'line.create':
      return event.message.system ? `[${event.message.event?.type ?? 'system'}] ${event.message.text ?? ''}` : said(event.message);
    case 'direct_message.create':
      return said(event.message);
    case 'like.create':
      return `${names.user(event.reactorId)} reacted ${event.userReaction?.code ?? ''} to your message "${event.message.text ?? ''}"`;
    case 'favorite':
      return `reactions on "${event.message.text ?? ''}": ${event.reactions.map((r) => `${r.code}×${r.userIds.length}`).join(' ') || 'none'}`;
    case 'message.update':
      return `${event.message.name} edited a message: ${event.message.text ?? ''}`;
    case 'message.deleted':
      return `message ${event.messageId} was deleted (by ${event.deletionActor ?? 'someone'})`;
    case 'membership.create':
      return `you were added to "${event.group.name}"`;
    case 'typing':
      return `${names.user(event.userId)} is typing…`;
    case 'read_receipt.create':
      return `${names.user(event.userId)} read message ${event.messageId}`;
    case 'ping':
      return 'ping';
    case 'subscribe':
      return 'subscribe';
    case 'unknown':
      return `unknown event ${event.originalType ?? ''} (${event.reason})`;
  }
}

function said(message: Message): string {
  const extras = message.attachments.length > 0 ? ` [${message.attachments.map((a) => a.type).join(', ')}]` : '';
  return `${message.name}: ${message.text ?? ''}${extras}`;
}
