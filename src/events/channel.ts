/** The three kinds of push channel GroupMe serves. */
export type ChannelKind = 'user' | 'group' | 'direct_message';

/**
 * The channel an event came on. `id` is the channel's own segment: a user id, a group id,
 * or for a DM the `a_b` form (REST calls the same thread `a+b`).
 */
export interface PushChannel {
  readonly kind: ChannelKind;
  readonly id: string;
  /** The Bayeux channel path, such as `/group/108466446`. */
  readonly path: string;
}

const PATH = /^\/(user|group|direct_message)\/([^/*]+)$/;

/** Reads a Bayeux path such as `/direct_message/1_2`; `undefined` for anything else. */
export function parseChannelPath(path: string): PushChannel | undefined {
  const match = PATH.exec(path);
  if (!match) return undefined;
  return { kind: match[1] as ChannelKind, id: match[2]!, path };
}

/** The `/user/:id` channel: everything a phone would notify you about. */
export function userChannel(userId: string): PushChannel {
  return { kind: 'user', id: userId, path: `/user/${userId}` };
}

/** The `/group/:id` channel: typing, reactions, edits and deletions in a group. */
export function groupChannel(groupId: string): PushChannel {
  return { kind: 'group', id: groupId, path: `/group/${groupId}` };
}

/** Accepts a DM thread id in either form, `a+b` (REST) or `a_b` (push). */
export function directMessageChannel(chatId: string): PushChannel {
  const id = toPushChatId(chatId);
  return { kind: 'direct_message', id, path: `/direct_message/${id}` };
}

/** `a+b` → `a_b`. GroupMe's REST and push services spell a DM thread id differently. */
export function toPushChatId(chatId: string): string {
  return chatId.replace('+', '_');
}

/** `a_b` → `a+b`. */
export function toRestChatId(chatId: string): string {
  return chatId.replace('_', '+');
}

/**
 * The thread id of a DM between two users: the smaller id first, compared as numbers
 * (ids exceed 2^53, so as BigInt), joined by `+` as REST spells it.
 */
export function chatIdFor(userA: string, userB: string): string {
  const [lo, hi] = compareIds(userA, userB) <= 0 ? [userA, userB] : [userB, userA];
  return `${lo}+${hi}`;
}

const DECIMAL = /^\d+$/;

/** Orders two decimal id strings numerically; non-numeric ids fall back to string order. */
export function compareIds(a: string, b: string): number {
  // Two runs of digits of one length compare as strings, so the regexes run only when the
  // lengths differ: the cursor compares every delivered id with the previous one, nearly
  // always of the same length.
  if (a.length !== b.length && DECIMAL.test(a) && DECIMAL.test(b)) return a.length - b.length;
  // Greater first: the cursor's question, asked for every message, is nearly always answered by that one comparison.
  return a > b ? 1 : a < b ? -1 : 0;
}
