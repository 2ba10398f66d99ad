import type { ChatRecord, GroupRecord, MessageJson, SimUser } from './world.js';

// Builders of GroupMe-shaped JSON, following shared/protocol/samples: snake_case, ids as
// strings, `created_at` in seconds and `received_at` in milliseconds.

const NO_LOCATION = { lat: '', lng: '', name: null };

export interface MessageInput {
  readonly id: string;
  readonly guid: string;
  readonly sender: SimUser | 'system';
  readonly text: string | null;
  readonly attachments?: readonly unknown[];
  readonly event?: { type: string; data: unknown };
}

export function groupMessageJson(group: GroupRecord, input: MessageInput): MessageJson {
  const system = input.sender === 'system';
  const senderId = system ? 'system' : (input.sender as SimUser).id;
  return {
    attachments: [...(input.attachments ?? [])],
    avatar_url: system ? null : (input.sender as SimUser).avatarUrl,
    created_at: Math.floor(Date.now() / 1000),
    deleted_at: null,
    deletion_actor: null,
    favorited_by: [],
    group_id: group.id,
    id: input.id,
    location: NO_LOCATION,
    name: system ? 'GroupMe' : (input.sender as SimUser).name,
    parent_id: null,
    picture_url: null,
    pinned_at: null,
    pinned_by: null,
    reactions: [],
    sender_id: senderId,
    sender_type: system ? 'system' : 'user',
    source_guid: input.guid,
    system,
    text: input.text,
    updated_at: null,
    user_id: senderId,
    ...(input.event ? { event: input.event } : {}),
  };
}

export function directMessageJson(chat: ChatRecord, sender: SimUser, recipient: SimUser, input: MessageInput): MessageJson {
  return {
    attachments: [...(input.attachments ?? [])],
    avatar_url: sender.avatarUrl,
    // Push names the thread `chat_id`, REST `conversation_id`: both are present here.
    chat_id: chat.id,
    conversation_id: chat.id,
    created_at: Math.floor(Date.now() / 1000),
    favorited_by: [],
    id: input.id,
    location: NO_LOCATION,
    name: sender.name,
    picture_url: null,
    reactions: [],
    recipient_id: recipient.id,
    sender_id: sender.id,
    sender_type: 'user',
    source_guid: input.guid,
    text: input.text,
    user_id: sender.id,
  };
}

/** The `data` of a push message: `{type, alert, subject, received_at}`. */
export function pushData(type: string, alert: string, subject: unknown): Record<string, unknown> {
  return { type, alert, subject, received_at: Date.now() };
}

/** A message as `like.create`/`favorite` embed it: without the reactions list. */
export function lineOf(message: MessageJson): Record<string, unknown> {
  const { reactions: _reactions, conversation_id: _conversation, ...line } = message;
  return line;
}

export function groupSummaryJson(group: GroupRecord): Record<string, unknown> {
  return {
    avatar_url: null,
    created_at: group.createdAt,
    creator_id: group.creatorId,
    description: '',
    disable_sharing: false,
    id: group.id,
    max_memberships: 5000,
    name: group.name,
    phone_number: null,
    preview_url: null,
    share_url: `https://groupme.com/join_group/${group.id}/${group.shareToken}`,
    shared: null,
    theme_name: null,
    thread_id: null,
    type: 'private',
    updated_at: group.updatedAt,
  };
}
