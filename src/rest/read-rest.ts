import { chatIdFor } from '../events/channel.js';
import { id, list, NONE, num, obj as record, seconds, str as text } from '../util/read-json.js';
import type { Chat, Group, MembershipState, User } from './types.js';

// REST JSON is read with the parser's own total readers: a field of the wrong type
// becomes null rather than a crash, but a row with no usable id is dropped.

export function readUser(value: unknown): User | undefined {
  const row = record(value);
  const userId = row && (id(row.user_id) ?? id(row.id));
  if (!row || !userId) return undefined;
  return { id: userId, name: text(row.name) ?? '', email: text(row.email), avatarUrl: text(row.image_url) ?? text(row.avatar_url) };
}

export function readGroup(value: unknown): Group | undefined {
  const row = record(value);
  const groupId = row && (id(row.group_id) ?? id(row.id));
  if (!row || !groupId) return undefined;
  const messages = record(row.messages);
  return {
    id: groupId,
    name: text(row.name) ?? '',
    type: text(row.type),
    description: text(row.description),
    imageUrl: text(row.image_url),
    creatorId: id(row.creator_user_id),
    shareUrl: text(row.share_url),
    createdAt: seconds(row.created_at),
    updatedAt: seconds(row.updated_at),
    messageCount: num(messages?.count) ?? 0,
    lastMessageId: id(messages?.last_message_id),
    lastMessageCreatedAt: seconds(messages?.last_message_created_at),
  };
}

export function readMembershipState(value: unknown): MembershipState | undefined {
  const row = record(value);
  const groupId = row && id(row.group_id);
  if (!row || !groupId) return undefined;
  return { groupId, state: text(row.state) ?? 'unknown' };
}

/**
 * A chat row has no top-level thread id: it is derived from the other user's id and ours
 * (the `conversation_id` some scripts read there is absent from real responses).
 */
export function readChat(value: unknown, myUserId: string): Chat | undefined {
  const row = record(value);
  const other = record(row?.other_user);
  const otherId = other && id(other.id);
  if (!row || !other || !otherId) return undefined;
  const last = record(row.last_message);
  return {
    chatId: chatIdFor(myUserId, otherId),
    otherUser: { id: otherId, name: text(other.name) ?? '', avatarUrl: text(other.avatar_url) },
    messageCount: num(row.messages_count) ?? 0,
    lastMessageId: id(last?.id),
    lastMessageCreatedAt: seconds(last?.created_at),
    createdAt: seconds(row.created_at),
    updatedAt: seconds(row.updated_at),
  };
}

/**
 * `list` for rows handed to users, who own what a REST call returns and may add to it: an
 * empty answer is a fresh array, not the shared frozen one. (A non-empty `list` is always
 * a fresh array already.)
 */
export function readArray<T>(value: unknown, read: (item: unknown) => T | null | undefined): T[] {
  const items = list(value, read);
  return items === NONE ? [] : (items as T[]);
}

