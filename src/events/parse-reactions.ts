import type { Reaction } from './message.js';
import { ids, obj, str } from './read.js';

/** `subject.reactions` of `like.create` / `favorite`; entries without a code are dropped. */
export function parseReactions(value: unknown): Reaction[] {
  if (!Array.isArray(value)) return [];
  const out: Reaction[] = [];
  for (const item of value) {
    const r = parseReaction(item);
    if (r) out.push(r);
  }
  return out;
}

/** One reaction; null when it names no `code`, since then it says nothing usable. */
export function parseReaction(value: unknown): Reaction | null {
  const r = obj(value);
  const code = r ? str(r.code) : null;
  if (!r || code === null) return null;
  // Every reaction seen so far is `unicode`; a missing type is read as the common case.
  return { type: str(r.type) ?? 'unicode', code, userIds: ids(r.user_ids) };
}
