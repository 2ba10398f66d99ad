import type {
  DirectMessageJson,
  GroupMessageJson,
  GroupSummaryJson,
  JsonObject,
  LocationJson,
  MessageJson,
  PushMessageJson,
  PushPayload,
} from './json.js';
import type { ChatRecord, GroupRecord, UserRecord, World } from './state.js';

// Builders of GroupMe-shaped JSON. The field lists follow the real payloads quoted in
// test/fixtures/samples/ (their sources: test/fixtures/README.md): a push subject carries
// exactly the fields real payloads carry, so a client that only works with our extra
// fields would be caught. Every builder returns fresh objects: the world must never share
// state with a payload a test holds.

const SYSTEM_NAME = 'GroupMe';

/** What a new message needs beyond its conversation. */
export interface MessageInput {
  readonly id: string;
  readonly guid: string;
  readonly createdAt: number;
  readonly sender: UserRecord | 'system';
  readonly text: string | null;
  readonly attachments?: readonly unknown[];
  readonly event?: { readonly type: string; readonly data: unknown };
}

function noLocation(): LocationJson {
  return { lat: '', lng: '', name: null };
}

function senderFields(input: MessageInput): Pick<GroupMessageJson, 'user_id' | 'sender_id' | 'sender_type' | 'name' | 'avatar_url'> {
  if (input.sender === 'system') {
    return { user_id: 'system', sender_id: 'system', sender_type: 'system', name: SYSTEM_NAME, avatar_url: '' };
  }
  const { id, name, avatarUrl } = input.sender;
  return { user_id: id, sender_id: id, sender_type: 'user', name, avatar_url: avatarUrl };
}

function commonFields(input: MessageInput): Omit<GroupMessageJson, 'group_id' | 'system' | 'parent_id'> {
  return {
    id: input.id,
    source_guid: input.guid,
    created_at: input.createdAt,
    ...senderFields(input),
    text: input.text,
    attachments: copy([...(input.attachments ?? [])]),
    favorited_by: [],
    reactions: [],
    location: noLocation(),
    picture_url: null,
    platform: 'gm',
    updated_at: null,
    deleted_at: null,
    deletion_actor: null,
    pinned_at: null,
    pinned_by: null,
    ...(input.event ? { event: copy({ type: input.event.type, data: input.event.data }) } : {}),
  };
}

export function newGroupMessage(group: GroupRecord, input: MessageInput): GroupMessageJson {
  return { ...commonFields(input), group_id: group.id, system: input.sender === 'system', parent_id: null };
}

export function newDirectMessage(chat: ChatRecord, recipientId: string, input: MessageInput): DirectMessageJson {
  return { ...commonFields(input), conversation_id: chat.id, recipient_id: recipientId };
}

export function isGroupMessage(message: MessageJson): message is GroupMessageJson {
  return 'group_id' in message;
}

// ---- push views -----------------------------------------------------------------------

/** `line.create` subject: the fields of samples/line.create.2.json (+ `event`). */
const LINE_FIELDS = [
  'attachments', 'avatar_url', 'created_at', 'deleted_at', 'deletion_actor', 'group_id', 'id', 'location',
  'name', 'parent_id', 'picture_url', 'pinned_at', 'pinned_by', 'sender_id', 'sender_type', 'source_guid',
  'system', 'text', 'updated_at', 'user_id', 'event',
] as const;

/** `direct_message.create` subject: samples/direct_message.create.1.json (+ `event`). */
const DIRECT_FIELDS = [
  'attachments', 'avatar_url', 'chat_id', 'created_at', 'favorited_by', 'id', 'location', 'name',
  'picture_url', 'recipient_id', 'sender_id', 'sender_type', 'source_guid', 'text', 'user_id', 'event',
] as const;

/** The `line` inside `favorite`/`like.create`: samples/favorite.1.json and like.create.1.json. */
const REACTION_LINE_FIELDS = [
  'attachments', 'avatar_url', 'created_at', 'favorited_at', 'favorited_by', 'group_id', 'id', 'location',
  'name', 'picture_url', 'source_guid', 'system', 'text', 'user_id',
] as const;

/** No DM sample has one: a DM's line names its thread and both people, as a DM does. */
const DIRECT_REACTION_LINE_FIELDS = [
  'attachments', 'avatar_url', 'chat_id', 'created_at', 'favorited_at', 'favorited_by', 'id', 'location',
  'name', 'picture_url', 'recipient_id', 'sender_id', 'source_guid', 'text', 'user_id',
] as const;

/** A message as push spells it: a DM's thread is `chat_id` there, `conversation_id` in REST. */
function pushSpelling(message: MessageJson): JsonObject {
  if (isGroupMessage(message)) return { ...message };
  const { conversation_id, ...rest } = message;
  return { ...rest, chat_id: conversation_id };
}

function pick(source: JsonObject, fields: readonly string[]): PushMessageJson {
  const out: JsonObject = {};
  for (const field of fields) if (source[field] !== undefined) out[field] = copy(source[field]);
  return out as PushMessageJson;
}

/** The subject of `line.create` or `direct_message.create`. */
export function createdSubject(message: MessageJson): PushMessageJson {
  return pick(pushSpelling(message), isGroupMessage(message) ? LINE_FIELDS : DIRECT_FIELDS);
}

/** The subject of `message.update` and `message.deleted`: the whole message, edits applied. */
export function changedSubject(message: MessageJson): PushMessageJson {
  if (isGroupMessage(message)) return pick(pushSpelling(message), LINE_FIELDS);
  return pick(pushSpelling(message), [...DIRECT_FIELDS, 'updated_at', 'deleted_at', 'deletion_actor']);
}

export function reactionLine(message: MessageJson, favoritedAt: number | null): PushMessageJson {
  const fields = isGroupMessage(message) ? REACTION_LINE_FIELDS : DIRECT_REACTION_LINE_FIELDS;
  return pick({ ...pushSpelling(message), favorited_at: favoritedAt }, fields);
}

export function pushPayload<S>(type: string, alert: string, subject: S): PushPayload<S> {
  return { type, alert, subject, received_at: Date.now() };
}

/** `membership.create` subject: samples/membership.create.1.json. */
export function groupSummary(group: GroupRecord): GroupSummaryJson {
  return {
    avatar_url: null,
    created_at: group.createdAt,
    creator_id: group.creatorId,
    description: group.description,
    disable_sharing: false,
    id: group.id,
    max_memberships: 5000,
    name: group.name,
    phone_number: null,
    preview_url: null,
    share_url: shareUrl(group),
    shared: null,
    theme_name: null,
    thread_id: null,
    type: 'private',
    updated_at: group.updatedAt,
  };
}

// ---- REST views -----------------------------------------------------------------------

export function restMessage<M extends MessageJson>(message: M): M {
  return copy(message);
}

export function userJson(user: UserRecord): JsonObject {
  return {
    id: user.id,
    user_id: user.id,
    name: user.name,
    email: `user${user.id}@example.com`,
    phone_number: null,
    image_url: user.avatarUrl,
    avatar_url: user.avatarUrl,
    created_at: user.createdAt,
    updated_at: user.createdAt,
    sms: false,
  };
}

/** A group as `GET /groups` lists it; `members` (active ones) unless omitted. */
export function groupJson(world: World, group: GroupRecord, withMembers: boolean): JsonObject {
  const last = group.messages.at(-1);
  return {
    id: group.id,
    group_id: group.id,
    name: group.name,
    phone_number: null,
    type: 'private',
    description: group.description,
    image_url: null,
    creator_user_id: group.creatorId,
    created_at: group.createdAt,
    updated_at: group.updatedAt,
    muted_until: null,
    office_mode: false,
    share_url: shareUrl(group),
    share_qr_code_url: null,
    max_members: 5000,
    theme_name: null,
    like_icon: null,
    requires_approval: false,
    show_join_question: false,
    join_question: null,
    messages: {
      count: group.messages.length,
      last_message_id: last?.id ?? null,
      last_message_created_at: last?.created_at ?? null,
      preview: {
        nickname: last?.name ?? null,
        text: last?.text ?? null,
        image_url: last?.avatar_url ?? null,
        attachments: copy(last?.attachments ?? []),
      },
    },
    ...(withMembers ? { members: membersJson(world, group) } : {}),
  };
}

function membersJson(world: World, group: GroupRecord): JsonObject[] {
  const members: JsonObject[] = [];
  for (const [userId, membership] of group.memberships) {
    if (membership.state !== 'active') continue;
    const user = world.user(userId);
    members.push({
      user_id: user.id,
      nickname: user.name,
      name: user.name,
      image_url: user.avatarUrl,
      id: membership.id,
      muted: false,
      autokicked: false,
      roles: userId === group.creatorId ? ['admin', 'owner'] : ['user'],
    });
  }
  return members;
}

/** A DM thread as `GET /chats` lists it: no top-level thread id, as in real responses. */
export function chatJson(world: World, chat: ChatRecord, meId: string): JsonObject {
  const other = world.user(chat.userIds[0] === meId ? chat.userIds[1] : chat.userIds[0]);
  const last = chat.messages.at(-1);
  return {
    created_at: chat.createdAt,
    updated_at: chat.updatedAt,
    messages_count: chat.messages.length,
    last_message: last ? restMessage(last) : null,
    other_user: { id: other.id, name: other.name, avatar_url: other.avatarUrl },
  };
}

function shareUrl(group: GroupRecord): string {
  return `https://groupme.com/join_group/${group.id}/${group.shareToken}`;
}

function copy<T>(value: T): T {
  return structuredClone(value);
}
