// The JSON the look-alike server produces, spelled as GroupMe spells it (snake_case, ids
// as strings, `created_at` in seconds, `received_at` in milliseconds). These types are
// exported so tests can read what a driver method produced without casting.

/** Any JSON object. */
export type JsonObject = { [key: string]: unknown };

/** A membership state as `/memberships/states` reports it; GroupMe has more than these. */
export type MembershipState = 'active' | 'exited' | 'removed' | 'pending' | (string & {});

/** `location` on a message: GroupMe sends empty strings when there is none. */
export interface LocationJson {
  lat: string;
  lng: string;
  name: string | null;
}

/** One reaction on a message: which emoji, and who used it. */
export interface ReactionJson {
  type: string;
  code: string;
  user_ids: string[];
}

/** `event` on a system message, e.g. `{type: 'membership.announce.added', data: {...}}`. */
export interface SystemEventJson {
  type: string;
  data: unknown;
}

/** What group and direct messages share, as REST returns them. */
export interface MessageJsonBase {
  id: string;
  source_guid: string;
  created_at: number;
  user_id: string;
  sender_id: string;
  sender_type: 'user' | 'bot' | 'system' | 'service';
  name: string;
  avatar_url: string | null;
  text: string | null;
  attachments: unknown[];
  favorited_by: string[];
  reactions: ReactionJson[];
  location: LocationJson;
  picture_url: string | null;
  platform: string;
  updated_at: number | null;
  deleted_at: string | null;
  deletion_actor: string | null;
  pinned_at: number | null;
  pinned_by: string | null;
  event?: SystemEventJson;
}

/** A group message as `GET /groups/:id/messages` returns it. */
export interface GroupMessageJson extends MessageJsonBase {
  group_id: string;
  system: boolean;
  parent_id: string | null;
}

/**
 * A direct message as `GET /direct_messages` returns it. REST names the thread
 * `conversation_id`; push names the same `lo+hi` string `chat_id`.
 */
export interface DirectMessageJson extends MessageJsonBase {
  conversation_id: string;
  recipient_id: string;
}

/** A stored message of either kind. */
export type MessageJson = GroupMessageJson | DirectMessageJson;

/** The `data` of a push message: `{type, alert, subject, received_at}`. */
export interface PushPayload<S = JsonObject> {
  type: string;
  alert: string;
  subject: S;
  received_at: number;
}

/** A message as a push payload carries it (the fields of the samples; no `reactions`). */
export type PushMessageJson = JsonObject & { id: string };

/** The subject of `favorite` and `like.create`. */
export interface ReactionSubject {
  line: PushMessageJson;
  reactions: ReactionJson[];
  user_id: string;
  user_reaction?: ReactionJson;
}

/** The subject of `read_receipt.create`. */
export interface ReadReceiptSubject {
  id: string;
  chat_id: string;
  message_id: string;
  user_id: string;
  read_at: number;
}

/** The cut-down group `membership.create` carries. */
export interface GroupSummaryJson {
  avatar_url: string | null;
  created_at: number;
  creator_id: string;
  description: string;
  disable_sharing: boolean;
  id: string;
  max_memberships: number;
  name: string;
  phone_number: string | null;
  preview_url: string | null;
  share_url: string;
  shared: boolean | null;
  theme_name: string | null;
  thread_id: string | null;
  type: string;
  updated_at: number;
}

/** `typing`: no subject, `started` in milliseconds. */
export interface TypingPayload {
  type: 'typing';
  user_id: string;
  started: number;
}
