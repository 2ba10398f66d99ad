import { chatIdFor } from './channel.js';
import type { DirectMessage, GroupMessage, Message, Reaction, SenderType } from './message.js';
import { parseAttachments } from './parse-attachments.js';
import { parseSystemEvent } from './parse-system-event.js';
import { id, ids, isoOrSeconds, obj, seconds, str, type Json } from './read.js';

/**
 * A group message from push or REST JSON; undefined without an id and a group id. Push
 * `subject`s and REST `messages[]` rows share this shape, so catch-up and live delivery
 * produce identical objects.
 */
export function parseGroupMessage(value: unknown): GroupMessage | undefined {
  const m = obj(value);
  const groupId = m ? id(m.group_id) : null;
  const fields = m && groupId !== null ? messageFields(m) : undefined;
  return fields && groupId !== null ? { ...fields, conversation: 'group', groupId } : undefined;
}

/**
 * A direct message; undefined without an id and a thread. The thread is `chat_id` (push),
 * `conversation_id` (REST), or else derived from the two participants.
 */
export function parseDirectMessage(value: unknown): DirectMessage | undefined {
  const m = obj(value);
  if (!m) return undefined;
  const chatId = id(m.chat_id) ?? id(m.conversation_id) ?? derivedChatId(m);
  const fields = chatId !== null ? messageFields(m) : undefined;
  return fields && chatId !== null
    ? { ...fields, conversation: 'direct_message', chatId, recipientId: id(m.recipient_id) }
    : undefined;
}

/** Either kind, told apart by `group_id`. */
export function parseMessage(value: unknown): Message | undefined {
  const m = obj(value);
  if (!m) return undefined;
  return m.group_id !== undefined && m.group_id !== null ? parseGroupMessage(m) : parseDirectMessage(m);
}

export function parseReactions(value: unknown): Reaction[] {
  if (!Array.isArray(value)) return [];
  const out: Reaction[] = [];
  for (const item of value) {
    const r = parseReaction(item);
    if (r) out.push(r);
  }
  return out;
}

export function parseReaction(value: unknown): Reaction | null {
  const r = obj(value);
  const code = r ? str(r.code) : null;
  if (!r || code === null) return null;
  return { type: str(r.type) ?? 'unicode', code, userIds: ids(r.user_ids) };
}

type MessageFields = Omit<GroupMessage, 'conversation' | 'groupId'>;

function messageFields(m: Json): MessageFields | undefined {
  const messageId = id(m.id);
  if (messageId === null) return undefined;
  const userId = id(m.user_id) ?? id(m.sender_id) ?? '';
  const senderId = id(m.sender_id) ?? userId;
  const senderType = senderTypeOf(m, senderId);
  return {
    id: messageId,
    sourceGuid: str(m.source_guid),
    userId,
    senderId,
    senderType,
    name: str(m.name) ?? '',
    avatarUrl: str(m.avatar_url),
    text: str(m.text),
    createdAt: seconds(m.created_at),
    attachments: parseAttachments(m.attachments),
    favoritedBy: ids(m.favorited_by),
    system: m.system === true || senderType === 'system',
    event: m.event === undefined || m.event === null ? null : parseSystemEvent(m.event),
    parentId: id(m.parent_id),
    pinnedAt: seconds(m.pinned_at),
    // GroupMe sends "" for "not pinned" in edits.
    pinnedBy: id(m.pinned_by),
    updatedAt: seconds(m.updated_at),
    deletedAt: isoOrSeconds(m.deleted_at),
    deletionActor: str(m.deletion_actor),
  };
}

function senderTypeOf(m: Json, senderId: string): SenderType {
  const declared = str(m.sender_type);
  if (declared) return declared;
  return m.system === true || senderId === 'system' || m.user_id === 'system' ? 'system' : 'user';
}

function derivedChatId(m: Json): string | null {
  const sender = id(m.sender_id) ?? id(m.user_id);
  const recipient = id(m.recipient_id);
  return sender !== null && recipient !== null ? chatIdFor(sender, recipient) : null;
}
