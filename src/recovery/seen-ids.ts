const NO_PACKED: Uint32Array = new Uint32Array(0);
/** Longest id that packs: two halves of nine digits, each under 10^9, each fit a Uint32. */
const MAX_PACKED_DIGITS = 18;
const DIGITS_PER_HALF = 9;

/**
 * One generation of ids, in arrival order, kept as numbers rather than strings, and put in
 * a Set only when something has to be looked up in it. Ten thousand strings kept alive
 * are objects the garbage collector copies and promotes as they survive (in a profile,
 * collections cost PushClient about 0.6 µs more per event with them); a buffer of numbers
 * is nothing to trace. GroupMe's ids are decimal digits (18 of them today): each packs
 * into two Uint32s, 8 bytes, where its UTF-16 code units took 36 and a string object
 * more, which matters to a process holding thousands of busy accounts (a full window of
 * 20,000 ids: 160 KB, not 1.1 MB). An id that does not pack (not digits, a leading zero,
 * longer than 18) is kept as a string in a side Set: exact for any string, and empty for
 * GroupMe's ids.
 */
class Generation {
  readonly #capacity: number;
  // Empty (and shared) until the first id: a thousand idle clients would otherwise each
  // hold a buffer for nothing.
  /** `[high, low]` per packed id: the digits before the last nine, and the last nine. */
  #packed: Uint32Array = NO_PACKED;
  #packedCount = 0;
  #others: Set<string> | undefined;
  #set: Set<string> | undefined;
  /** How many packed ids are in `#set`. */
  #indexed = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get count(): number {
    return this.#packedCount + (this.#others?.size ?? 0);
  }

  get bytes(): number {
    return this.#packed.byteLength;
  }

  /** Forgets every id but keeps the buffer, grown to what a full generation needs. */
  clear(): void {
    this.#packedCount = 0;
    this.#others = undefined;
    this.#set = undefined;
    this.#indexed = 0;
  }

  push(id: string): void {
    const length = id.length;
    if (length === 0 || length > MAX_PACKED_DIGITS || (length > 1 && id.charCodeAt(0) === 48)) {
      (this.#others ??= new Set()).add(id);
      return;
    }
    const split = length - DIGITS_PER_HALF;
    let high = 0;
    let low = 0;
    for (let i = 0; i < length; i++) {
      const digit = id.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) {
        (this.#others ??= new Set()).add(id);
        return;
      }
      if (i < split) high = high * 10 + digit;
      else low = low * 10 + digit;
    }
    const at = this.#packedCount * 2;
    if (at + 2 > this.#packed.length) this.#packed = grown(this.#packed, at + 2, this.#capacity * 2);
    this.#packed[at] = high;
    this.#packed[at + 1] = low;
    this.#packedCount++;
  }

  has(id: string): boolean {
    if (this.#others?.has(id)) return true;
    const set = (this.#set ??= new Set());
    for (; this.#indexed < this.#packedCount; this.#indexed++) set.add(unpack(this.#packed[this.#indexed * 2]!, this.#packed[this.#indexed * 2 + 1]!));
    return set.has(id);
  }
}

/** The id `push` packed: no leading zero, so `high` is 0 only for ids of nine digits or fewer. */
function unpack(high: number, low: number): string {
  return high === 0 ? String(low) : String(high) + String(low).padStart(DIGITS_PER_HALF, '0');
}

/**
 * A bounded set of recently delivered message ids: a message that arrives twice (on two
 * channels, or live and again in catch-up) is delivered once. It remembers at least the
 * last `capacity` ids (and at most twice that). An older duplicate cannot reach it: a
 * conversation with a gap has its live events held until its catch-up, which starts from
 * the cursor, has delivered the gap.
 */
export class SeenIds {
  readonly #generation: number;
  // Two generations swapped wholesale instead of evicting one id per add: deleting from a
  // large Set leaves tombstones that make every later operation slower (measured ~0.9 µs
  // per add at 10,000 ids with a ring buffer and Set.delete).
  #current: Generation;
  #previous: Generation;
  /** The greatest id ever added, in shortlex order (shorter first, then string order). */
  #greatest: string | undefined;

  constructor(capacity = 10_000) {
    this.#generation = Math.max(1, Math.floor(capacity));
    this.#current = new Generation(this.#generation);
    this.#previous = new Generation(this.#generation);
  }

  /** Records `id`; returns false when it was already there. */
  add(id: string): boolean {
    // Message ids grow with time, so a live id is nearly always past every id added so far
    // and cannot be a repeat: it is only appended, with no lookup and no Set insert. Sets of
    // 10,000 strings miss the CPU cache on every probe and rehash: they were half of
    // PushClient's own CPU per event in a profile. Any total order on strings makes "past
    // the greatest" mean "never added"; shortlex is also numeric order for ids of digits.
    const greatest = this.#greatest;
    if (greatest === undefined || id.length > greatest.length || (id.length === greatest.length && id > greatest)) {
      this.#greatest = id;
    } else if (this.has(id)) {
      return false;
    }
    if (this.#current.count >= this.#generation) {
      // The forgotten generation's buffers become the new one's: no regrowth by doubling.
      const recycled = this.#previous;
      recycled.clear();
      this.#previous = this.#current;
      this.#current = recycled;
    }
    this.#current.push(id);
    return true;
  }

  has(id: string): boolean {
    return this.#current.has(id) || this.#previous.has(id);
  }

  /** How many ids are remembered now. */
  get size(): number {
    return this.#current.count + this.#previous.count;
  }

  /** Bytes its buffers hold (ids that do not pack, kept as strings, aside). */
  get bytes(): number {
    return this.#current.bytes + this.#previous.bytes;
  }
}

/**
 * A bigger buffer: doubled, never past what a full generation needs (`most`). The first
 * one holds sixteen ids: a process with thousands of quiet accounts would otherwise regrow
 * each account's buffer four times over its first ids, a cost its few messages then carry
 * alone.
 */
function grown(array: Uint32Array, needed: number, most: number): Uint32Array {
  let size = Math.max(32, array.length * 2);
  while (size < needed) size *= 2;
  const next = new Uint32Array(Math.max(needed, Math.min(size, most)));
  next.set(array);
  return next;
}
