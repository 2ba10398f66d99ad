import { compareIds } from './id-order.js';

/** A history request: at most one of the three ids, and a page size. */
export interface HistoryQuery {
  readonly beforeId?: string;
  readonly afterId?: string;
  readonly sinceId?: string;
  readonly limit: number;
}

/**
 * One page of a conversation's history, the way GroupMe pages it:
 * - `afterId`: the messages right after it, OLDEST first, with no gap (for catching up);
 * - `sinceId`: the NEWEST messages after it, newest first (a gap may be skipped);
 * - `beforeId`, or nothing: the newest messages before it (or at all), newest first.
 *
 * `messages` is sorted by id, oldest first, so each page is two binary searches.
 */
export function historyPage<T extends { readonly id: string }>(messages: readonly T[], query: HistoryQuery): T[] {
  const { limit } = query;
  if (query.afterId !== undefined) {
    const start = firstAbove(messages, query.afterId);
    return messages.slice(start, start + limit);
  }
  if (query.sinceId !== undefined) {
    const start = Math.max(firstAbove(messages, query.sinceId), messages.length - limit);
    return messages.slice(start).reverse();
  }
  const end = query.beforeId === undefined ? messages.length : firstAtOrAbove(messages, query.beforeId);
  return messages.slice(Math.max(0, end - limit), end).reverse();
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
