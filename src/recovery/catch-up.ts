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

/** Where a conversation with no cursor starts. */
export interface CatchUpOptions extends CallOptions {
  /**
   * The watermark, minus a margin: a conversation with no cursor yields its messages created
   * at or after this (Unix seconds). Undefined on a first start: its newest message becomes
   * the cursor and nothing older is replayed.
   */
  readonly since?: number;
}

/**
 * Yields, oldest first, every message of one conversation newer than its cursor. A
 * conversation with no cursor (it started, or you joined it, while the client was away, or
 * it was empty until then) yields what was created since the watermark; without one (a
 * first start) its cursor is set to its newest message, so history from before the client
 * existed is not replayed.
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
  options: CatchUpOptions = {},
): AsyncGenerator<MissedMessage> {
  const key = cursorKeyOf(conversation);
  const { newestId } = conversation;
  const type = conversation.kind === 'group' ? 'line.create' : 'direct_message.create';
  const cursor = await cursors.get(key);
  if (cursor === undefined) {
    if (newestId === null) return;
    if (options.since === undefined) {
      const baseline = newestId === undefined ? await newestOf(api, conversation, options) : newestId;
      if (baseline !== null) cursors.advance(key, baseline);
      return;
    }
    const since = options.since;
    const walk = walkBack(pagesOf(api, conversation, options), (_id, row) => createdAt(row) < since);
    for await (const [id, subject] of walk) yield { id, payload: { type, subject } };
    return;
  }
  if (newestId !== undefined && (newestId === null || compareIds(newestId, cursor) <= 0)) return;
  const walk =
    conversation.kind === 'group'
      ? walkForward(api, conversation.id, cursor, newestId ?? undefined, options)
      : walkBack(pagesOf(api, conversation, options), (id) => compareIds(id, cursor) <= 0);
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

/** One page of a conversation's history, newest first, before `beforeId` when given. */
type PageReader = (beforeId: string | undefined) => Promise<unknown[]>;

function pagesOf(api: GroupMeApi, conversation: Conversation, options: CallOptions): PageReader {
  return (beforeId) =>
    conversation.kind === 'group'
      ? api.groupMessagesRaw(conversation.id, { beforeId, limit: PAGE }, options)
      : api.directMessagesRaw(conversation.id, { beforeId, limit: PAGE }, options);
}

/** Walks back from the newest message until a page reaches a row `seen` calls old; yields the rest ascending. */
async function* walkBack(readPage: PageReader, seen: (id: string, row: unknown) => boolean): AsyncGenerator<Row> {
  const missed = new Map<string, unknown>();
  let before: string | undefined;
  for (;;) {
    const rows = sortedRows(await readPage(before));
    const oldest = rows[0];
    // No progress (a server that ignores before_id answers the same page) ends it too.
    if (oldest === undefined || (before !== undefined && compareIds(oldest[0], before) >= 0)) break;
    for (const [id, row] of rows) if (!seen(id, row)) missed.set(id, row);
    if (seen(oldest[0], oldest[1])) break;
    before = oldest[0];
  }
  yield* sortedRows([...missed.values()]);
}

/** A row's `created_at`, in Unix seconds; one without counts as new (delivered rather than lost). */
function createdAt(row: unknown): number {
  const value = obj(row)?.created_at;
  return typeof value === 'number' && Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
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
