/**
 * Attachments GroupMe puts on messages. Known kinds get typed fields; any other kind
 * arrives as `{ type: 'unknown', originalType, raw }` so it is never lost.
 */
export type Attachment =
  | ImageAttachment
  | LinkedImageAttachment
  | VideoAttachment
  | AudioAttachment
  | FileAttachment
  | LocationAttachment
  | SplitAttachment
  | EmojiAttachment
  | MentionsAttachment
  | ReplyAttachment
  | PollAttachment
  | CalendarEventAttachment
  | UnknownAttachment;

/** An image hosted on GroupMe's image service. */
export interface ImageAttachment { readonly type: 'image'; readonly url: string }
/** An image linked from elsewhere and previewed. */
export interface LinkedImageAttachment { readonly type: 'linked_image'; readonly url: string }
/** A video, with its preview image when GroupMe made one. */
export interface VideoAttachment { readonly type: 'video'; readonly url: string; readonly previewUrl: string | null }
/** A voice note or audio file. */
export interface AudioAttachment { readonly type: 'audio'; readonly url: string }
/** A file shared in the conversation; fetch it by `fileId`. */
export interface FileAttachment { readonly type: 'file'; readonly fileId: string }
/** A shared location; coordinates kept as the strings GroupMe sends. */
export interface LocationAttachment {
  readonly type: 'location';
  readonly name: string | null;
  readonly lat: string | null;
  readonly lng: string | null;
}
/** A Splitwise-style bill split (legacy). */
export interface SplitAttachment { readonly type: 'split'; readonly token: string }
/** GroupMe emoji (powerups) placed in the text. */
export interface EmojiAttachment {
  readonly type: 'emoji';
  readonly placeholder: string;
  /** `[packId, offset]` pairs, one per placeholder character. */
  readonly charmap: ReadonlyArray<readonly [number, number]>;
}
/** Who the text mentions, and where. */
export interface MentionsAttachment {
  readonly type: 'mentions';
  /** `"-1"` means everyone in the conversation. */
  readonly userIds: readonly string[];
  /** `[start, length]` of each mention in the text. */
  readonly loci: ReadonlyArray<readonly [number, number]>;
}
/** The message this one replies to. */
export interface ReplyAttachment {
  readonly type: 'reply';
  readonly replyId: string;
  readonly baseReplyId: string | null;
}
/** A poll started by this message. */
export interface PollAttachment { readonly type: 'poll'; readonly pollId: string }
/** A calendar event this message announces. */
export interface CalendarEventAttachment {
  readonly type: 'event';
  readonly eventId: string;
  readonly view: string | null;
}
/** An attachment this version does not know; `raw` keeps it whole. */
export interface UnknownAttachment {
  readonly type: 'unknown';
  /** The attachment's own `type`, when it had a string one. */
  readonly originalType: string | null;
  readonly raw: unknown;
}
