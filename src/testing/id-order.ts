// How GroupMe orders ids and names DM threads, written out here on purpose: the look-alike
// server must not share this logic with the library it tests, or a bug in the library's
// version would be mirrored by the server and no test could catch it.

const DECIMAL = /^\d+$/;

/**
 * Orders two ids numerically (as BigInt: message ids are beyond 2^53). An id that is not
 * a decimal number falls back to string order, after every decimal one.
 */
export function compareIds(a: string, b: string): number {
  const aDecimal = DECIMAL.test(a);
  const bDecimal = DECIMAL.test(b);
  if (aDecimal && bDecimal) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (aDecimal !== bDecimal) return aDecimal ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A DM thread as REST names it: `lo+hi`, the smaller user id first, compared as numbers. */
export function dmThreadId(userA: string, userB: string): string {
  const [lo, hi] = compareIds(userA, userB) <= 0 ? [userA, userB] : [userB, userA];
  return `${lo}+${hi}`;
}

/** The push channel's spelling of a thread id: `lo+hi` becomes `lo_hi`. */
export function dmChannelId(threadId: string): string {
  return threadId.replace('+', '_');
}
