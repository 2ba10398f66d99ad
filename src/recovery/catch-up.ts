import { compareIds } from '../events/channel.js';
import { id as readId, obj } from '../events/read.js';
import type { CallOptions, GroupMeApi } from '../rest/groupme-api.js';
import type { Conversations } from '../rest/conversations.js';
import { chatCursorKey, groupCursorKey } from './cursor-store.js';

/** A message fetched over REST, shaped as the push payload that would have carried it. */
export interface MissedMessage {
  /** The cursor key of its conversation. */
  readonly key: string;
  readonly id: string;
  readonly payload: { readonly type: 'line.create' | 'direct_message.create'; readonly subject: unknown };
}

/** Reads and writes cursors for catch-up; the client keeps them in step with live delivery. */
export interface CursorAccess {
  get(key: string): Promise<string | undefined>;
  /** Sets the cursor only if `id` is newer than the current one. */
  advance(key: string, id: string): void;
}

const PAGE = 100;

/**
 * Yields, oldest first per conversation, every message newer than the conversation's
 * cursor. `/groups` and `/chats` give each conversation's newest message id, so only
 * conversations that changed cost a request. A conversation seen for the first time gets
 * its cursor set to its newest message: history before the client existed is not replayed.
 */
export async function* fetchMissed(
  api: GroupMeApi,
  conversations: Conversations,
  cursors: CursorAccess,
  options: CallOptions = {},
): AsyncGenerator<MissedMessage> {
  const sources = [
    ...conversations.groups.map((group) => ({
      key: groupCursorKey(group.id),
      newest: group.lastMessageId,
      type: 'line.create' as const,
      fetchAfter: (afterId: string) => api.groupMessagesRaw(group.id, { afterId, limit: PAGE }, options),
    })),
    ...conversations.chats.map((chat) => ({
      key: chatCursorKey(chat.chatId),
      newest: chat.lastMessageId,
      type: 'direct_message.create' as const,
      fetchAfter: (afterId: string) => api.directMessagesRaw(chat.chatId, { afterId, limit: PAGE }, options),
    })),
  ];
  for (const source of sources) {
    const from = await startingPoint(source.key, source.newest, cursors);
    if (from !== undefined) yield* pages(source.key, source.type, from, source.fetchAfter);
  }
}

/** The id to fetch after, or undefined when there is nothing to fetch. */
async function startingPoint(key: string, newest: string | null, cursors: CursorAccess): Promise<string | undefined> {
  if (newest === null) return undefined;
  const cursor = await cursors.get(key);
  if (cursor === undefined) {
    cursors.advance(key, newest);
    return undefined;
  }
  return compareIds(newest, cursor) > 0 ? cursor : undefined;
}

async function* pages(
  key: string,
  type: MissedMessage['payload']['type'],
  from: string,
  fetchAfter: (afterId: string) => Promise<unknown[]>,
): AsyncGenerator<MissedMessage> {
  let cursor = from;
  for (;;) {
    const rows = await fetchAfter(cursor);
    let advanced = false;
    for (const row of rows) {
      const id = readId(obj(row)?.id);
      if (id === null || compareIds(id, cursor) <= 0) continue;
      cursor = id;
      advanced = true;
      yield { key, id, payload: { type, subject: row } };
    }
    // A short page is the last; a page that did not move forward would loop forever.
    if (rows.length < PAGE || !advanced) return;
  }
}
