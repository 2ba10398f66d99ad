/**
 * Reads every page of a GroupMe list, from page 1 until an empty page. A short page is not
 * the end (GroupMe's page sizes are not documented and vary by endpoint), and a page that
 * adds nothing new ends the walk too: a server that ignores `page` answers the same rows
 * every time. `maxPages` bounds anything else.
 */
export async function collectPages<T>(
  fetchPage: (page: number) => Promise<readonly T[]>,
  keyOf: (row: T) => string,
  maxPages = 1000,
): Promise<T[]> {
  const all = new Map<string, T>();
  for (let page = 1; page <= maxPages; page++) {
    const before = all.size;
    for (const row of await fetchPage(page)) if (!all.has(keyOf(row))) all.set(keyOf(row), row);
    if (all.size === before) break;
  }
  return [...all.values()];
}
