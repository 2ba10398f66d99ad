import { compareIds } from './id-order.js';

/** A history request: at most one of the three ids, and a page size. */
export interface HistoryQuery {
  readonly beforeId?: string;
  readonly afterId?: string;
  readonly sinceId?: string;
  readonly limit: number;
}

/**
 * Every this-many-th message id ends a walking page early: see `historyPage`. Seven, so
 * that a page of 20 (the default `limit`) is cut almost every time and a page of a few
 * sometimes is, both in the middle of a history.
 */
export const SHORT_PAGE_PERIOD = 7n;

/** True for the ids after which a walking page ends early. */
export function endsShortPage(id: string): boolean {
  return /^\d+$/.test(id) && BigInt(id) % SHORT_PAGE_PERIOD === 0n;
}

/**
 * One page of a conversation's history, the way GroupMe pages it:
 * - `afterId`: the messages right after it, OLDEST first, with no gap (for catching up);
 * - `sinceId`: the NEWEST messages after it, newest first (a gap may be skipped);
 * - `beforeId`, or nothing: the newest messages before it (or at all), newest first.
 *
 * With `shortPages`, a page that walks the history (`afterId` or `beforeId`) ends right
 * after a message whose id `endsShortPage`, as GroupMe's pages sometimes end short in the
 * middle of a history. It always holds that message, so it is never empty while messages
 * remain: only an empty page (or the newest id) ends a walk, never a short one.
 *
 * `messages` is sorted by id, oldest first, so each page is two binary searches.
 */
export function historyPage<T extends { readonly id: string }>(messages: readonly T[], query: HistoryQuery, shortPages = false): T[] {
  const { limit } = query;
  if (query.afterId !== undefined) {
    const start = firstAbove(messages, query.afterId);
    const page = messages.slice(start, start + limit);
    return shortPages ? cutAfterBoundary(page) : page;
  }
  if (query.sinceId !== undefined) {
    const start = Math.max(firstAbove(messages, query.sinceId), messages.length - limit);
    return messages.slice(start).reverse();
  }
  const end = query.beforeId === undefined ? messages.length : firstAtOrAbove(messages, query.beforeId);
  const page = messages.slice(Math.max(0, end - limit), end).reverse();
  return shortPages && query.beforeId !== undefined ? cutAfterBoundary(page) : page;
}

/** The page up to and including its first boundary message, in the page's own order. */
function cutAfterBoundary<T extends { readonly id: string }>(page: T[]): T[] {
  const boundary = page.findIndex((m) => endsShortPage(m.id));
  return boundary < 0 ? page : page.slice(0, boundary + 1);
}

function firstAbove(messages: readonly { readonly id: string }[], id: string): number {
  return search(messages, (m) => compareIds(m.id, id) > 0);
}

function firstAtOrAbove(messages: readonly { readonly id: string }[], id: string): number {
  return search(messages, (m) => compareIds(m.id, id) >= 0);
}

/** The first index where `isAfter` holds, for a predicate false then true along the list. */
function search<T>(list: readonly T[], isAfter: (item: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isAfter(list[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
