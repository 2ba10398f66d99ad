import type { Attachment } from './attachments.js';
import { coordinate, id, ids, NONE, nonEmpty, obj, str, type Json } from '../util/read-json.js';

/** `attachments[]` of a message; anything but an array is read as none. */
export function parseAttachments(value: unknown): readonly Attachment[] {
  if (!Array.isArray(value) || value.length === 0) return NONE;
  const out: Attachment[] = [];
  for (const item of value) out.push(parseAttachment(item));
  return out;
}

function parseAttachment(raw: unknown): Attachment {
  const a = obj(raw);
  const type = a ? str(a.type) : null;
  const known = a && type !== null ? knownAttachment(type, a) : undefined;
  return known ?? { type: 'unknown', originalType: type, raw };
}

// A known type whose required field is missing or of the wrong type is returned as
// undefined, and so reaches the user as an unknown attachment with its raw JSON: a typed
// attachment with an empty url would be worse than an honest unknown one. Seen but not
// typed yet (partial_image, autokicked_member, copilot...) also pass through as unknown.
function knownAttachment(type: string, a: Json): Attachment | undefined {
  switch (type) {
    case 'image':
    case 'linked_image':
    case 'audio': {
      const link = nonEmpty(a.url);
      return link === null ? undefined : { type, url: link };
    }
    case 'video': {
      const link = nonEmpty(a.url);
      return link === null ? undefined : { type, url: link, previewUrl: nonEmpty(a.preview_url) };
    }
    case 'file': {
      const fileId = id(a.file_id);
      return fileId === null ? undefined : { type, fileId };
    }
    case 'location':
      return { type, name: str(a.name), lat: coordinate(a.lat), lng: coordinate(a.lng) };
    case 'split': {
      const token = str(a.token);
      return token === null ? undefined : { type, token };
    }
    case 'emoji': {
      const placeholder = str(a.placeholder);
      return placeholder === null || !Array.isArray(a.charmap) ? undefined : { type, placeholder, charmap: pairs(a.charmap) };
    }
    case 'mentions':
      return Array.isArray(a.user_ids) ? { type, userIds: ids(a.user_ids), loci: pairs(a.loci) } : undefined;
    case 'reply': {
      const replyId = id(a.reply_id);
      return replyId === null ? undefined : { type, replyId, baseReplyId: id(a.base_reply_id) };
    }
    case 'poll': {
      const pollId = id(a.poll_id);
      return pollId === null ? undefined : { type, pollId };
    }
    case 'event': {
      const eventId = id(a.event_id);
      return eventId === null ? undefined : { type, eventId, view: str(a.view) };
    }
    default:
      return undefined;
  }
}

function pairs(value: unknown): Array<readonly [number, number]> {
  if (!Array.isArray(value)) return [];
  const out: Array<readonly [number, number]> = [];
  for (const pair of value) {
    if (Array.isArray(pair) && typeof pair[0] === 'number' && typeof pair[1] === 'number') out.push([pair[0], pair[1]]);
  }
  return out;
}
