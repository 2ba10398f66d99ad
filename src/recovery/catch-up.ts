import { compareIds } from '../events/channel.js';
import { id as readId, obj } from '../util/read-json.js';
import type { CallOptions, GroupMeApi } from '../rest/groupme-api.js';
import type { Conversation } from '../rest/conversations.js';
import { chatCursorKey, groupCursorKey } from './cursor-store.js';

/** A message fetched over REST, shaped as the push payload that would have carried it. */
export interface MissedMessage {
  readonly id: string;
  readonly payload: { readonly type: 'line.create' | 'direct_message.create'; readonly subject: unknown };
}

/** Reads and writes cursors for catch-up; the client keeps them in step with live delivery. */
export interface CursorAccess {
  get(key: string): Promise<string | undefined>;
  /** Sets the cursor only if `id` is newer than the current one. */
  advance(key: string, id: string): void;
}

/** The most a history page holds (`limit`); GroupMe may send fewer, DMs only 20. */
const PAGE = 100;

export function cursorKeyOf(conversation: Conversation): string {
  return conversation.kind === 'group' ? groupCursorKey(conversation.id) : chatCursorKey(conversation.id);
}

/**
 * Yields, oldest first, every message of one conversation newer than its cursor. A
 * conversation seen for the first time gets its cursor set to its newest message: history
 * from before the client existed is not replayed.
 *
 * Groups walk forward with `after_id`. DM threads walk back with `before_id` from the
 * newest message to the cursor, then yield in ascending order: `/direct_messages`
 * documents only `before_id` and `since_id`, and a server that ignores `after_id` answers
 * the newest page, which a forward walk would take for the next one. Every page is sorted
 * by id (array order is not trusted), and only an empty page, a page that brings nothing
 * new, or reaching the listed newest id ends a walk: short pages occur mid-history.
 */
export async function* fetchMissed(
  api: GroupMeApi,
  conversation: Conversation,
  cursors: CursorAccess,
  options: CallOptions = {},
): AsyncGenerator<MissedMessage> {
  const key = cursorKeyOf(conversation);
  const { newestId } = conversation;
  const cursor = await cursors.get(key);
  if (cursor === undefined) {
    const baseline = newestId === undefined ? await newestOf(api, conversation, options) : newestId;
    if (baseline !== null) cursors.advance(key, baseline);
    return;
  }
  if (newestId !== undefined && (newestId === null || compareIds(newestId, cursor) <= 0)) return;
  const type = conversation.kind === 'group' ? 'line.create' : 'direct_message.create';
  const walk = conversation.kind === 'group' ? walkForward(api, conversation.id, cursor, newestId ?? undefined, options) : walkBack(api, conversation.id, cursor, options);
  for await (const [id, subject] of walk) yield { id, payload: { type, subject } };
}

type Row = readonly [id: string, row: unknown];

async function* walkForward(api: GroupMeApi, groupId: string, from: string, newest: string | undefined, options: CallOptions): AsyncGenerator<Row> {
  let cursor = from;
  for (;;) {
    const rows = newerThan(cursor, await api.groupMessagesRaw(groupId, { afterId: cursor, limit: PAGE }, options));
    if (rows.length === 0) return;
    for (const row of rows) yield row;
    cursor = rows[rows.length - 1]![0];
    if (newest !== undefined && compareIds(cursor, newest) >= 0) return;
  }
}

async function* walkBack(api: GroupMeApi, chatId: string, cursor: string, options: CallOptions): AsyncGenerator<Row> {
  const missed = new Map<string, unknown>();
  let before: string | undefined;
  for (;;) {
    const rows = sortedRows(await api.directMessagesRaw(chatId, { beforeId: before, limit: PAGE }, options));
    const oldest = rows[0]?.[0];
    // No progress (a server that ignores before_id answers the same page) ends it too.
    if (oldest === undefined || (before !== undefined && compareIds(oldest, before) >= 0)) break;
    for (const [id, row] of rows) if (compareIds(id, cursor) > 0) missed.set(id, row);
    if (compareIds(oldest, cursor) <= 0) break;
    before = oldest;
  }
  yield* sortedRows([...missed.values()]);
}

/** The newest message id of a conversation the listing gave none for. */
async function newestOf(api: GroupMeApi, conversation: Conversation, options: CallOptions): Promise<string | null> {
  const page =
    conversation.kind === 'group'
      ? await api.groupMessagesRaw(conversation.id, { limit: 1 }, options)
      : await api.directMessagesRaw(conversation.id, { limit: 1 }, options);
  return sortedRows(page).at(-1)?.[0] ?? null;
}

/** Rows newer than `cursor`, oldest first. */
function newerThan(cursor: string, page: unknown[]): Row[] {
  return sortedRows(page).filter(([id]) => compareIds(id, cursor) > 0);
}

/** Rows with a readable id, ascending by id, each id once. */
function sortedRows(page: unknown[]): Row[] {
  const byId = new Map<string, unknown>();
  for (const row of page) {
    const id = readId(obj(row)?.id);
    if (id !== null) byId.set(id, row);
  }
  return [...byId].sort(([a], [b]) => compareIds(a, b));
}
