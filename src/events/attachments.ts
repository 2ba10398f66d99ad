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

export interface ImageAttachment { readonly type: 'image'; readonly url: string }
export interface LinkedImageAttachment { readonly type: 'linked_image'; readonly url: string }
export interface VideoAttachment { readonly type: 'video'; readonly url: string; readonly previewUrl: string | null }
export interface AudioAttachment { readonly type: 'audio'; readonly url: string }
export interface FileAttachment { readonly type: 'file'; readonly fileId: string }
export interface LocationAttachment {
  readonly type: 'location';
  readonly name: string | null;
  readonly lat: string | null;
  readonly lng: string | null;
}
export interface SplitAttachment { readonly type: 'split'; readonly token: string }
export interface EmojiAttachment {
  readonly type: 'emoji';
  readonly placeholder: string;
  /** `[packId, offset]` pairs, one per placeholder character. */
  readonly charmap: ReadonlyArray<readonly [number, number]>;
}
export interface MentionsAttachment {
  readonly type: 'mentions';
  /** `"-1"` means everyone in the conversation. */
  readonly userIds: readonly string[];
  /** `[start, length]` of each mention in the text. */
  readonly loci: ReadonlyArray<readonly [number, number]>;
}
export interface ReplyAttachment {
  readonly type: 'reply';
  readonly replyId: string;
  readonly baseReplyId: string | null;
}
export interface PollAttachment { readonly type: 'poll'; readonly pollId: string }
export interface CalendarEventAttachment {
  readonly type: 'event';
  readonly eventId: string;
  readonly view: string | null;
}
export interface UnknownAttachment {
  readonly type: 'unknown';
  /** The attachment's own `type`, when it had a string one. */
  readonly originalType: string | null;
  readonly raw: unknown;
}
