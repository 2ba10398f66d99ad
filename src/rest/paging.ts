/**
 * Reads every page of a GroupMe list. GroupMe has no total count: a page shorter than
 * asked for (or empty) is the last. `maxPages` bounds a server that never stops.
 */
export async function collectPages<T>(
  fetchPage: (page: number) => Promise<readonly T[]>,
  perPage: number,
  maxPages = 1000,
): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const rows = await fetchPage(page);
    all.push(...rows);
    if (rows.length < perPage) break;
  }
  return all;
}
