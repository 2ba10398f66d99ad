import type { Reaction } from './message.js';
import { ids, list, obj, str } from '../util/read-json.js';

/** `subject.reactions` of `like.create` / `favorite`; entries without a code are dropped. */
export function parseReactions(value: unknown): readonly Reaction[] {
  return list(value, parseReaction);
}

/** One reaction; null when it names no `code`, since then it says nothing usable. */
export function parseReaction(value: unknown): Reaction | null {
  const r = obj(value);
  const code = r ? str(r.code) : null;
  if (!r || code === null) return null;
  // Every reaction seen so far is `unicode`; a missing type is read as the common case.
  return { type: str(r.type) ?? 'unicode', code, userIds: ids(r.user_ids) };
}
