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

  /** An id `pack` packed, as `packedHigh` and `packedLow`. */
  pushPacked(high: number, low: number): void {
    const at = this.#packedCount * 2;
    if (at + 2 > this.#packed.length) this.#packed = grown(this.#packed, at + 2, this.#capacity * 2);
    this.#packed[at] = high;
    this.#packed[at + 1] = low;
    this.#packedCount++;
  }

  /** An id that does not pack. */
  pushOther(id: string): void {
    (this.#others ??= new Set()).add(id);
  }

  has(id: string): boolean {
    if (this.#others?.has(id)) return true;
    const set = (this.#set ??= new Set());
    for (; this.#indexed < this.#packedCount; this.#indexed++) set.add(unpack(this.#packed[this.#indexed * 2]!, this.#packed[this.#indexed * 2 + 1]!));
    return set.has(id);
  }
}

// Where `pack` leaves an id's two halves: a module's two numbers, not an object per id.
let packedHigh = 0;
let packedLow = 0;

/**
 * Packs a GroupMe id (decimal digits, no leading zero, at most 18) into `packedHigh` (the
 * digits before the last nine) and `packedLow` (the last nine); false for any other string.
 * Packed ids compare as their pairs do: numeric order, which is GroupMe's order of ids.
 */
function pack(id: string): boolean {
  const length = id.length;
  if (length === 0 || length > MAX_PACKED_DIGITS || (length > 1 && id.charCodeAt(0) === 48)) return false;
  const split = length - DIGITS_PER_HALF;
  let high = 0;
  let low = 0;
  for (let i = 0; i < length; i++) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    if (i < split) high = high * 10 + digit;
    else low = low * 10 + digit;
  }
  packedHigh = high;
  packedLow = low;
  return true;
}

/** The id `pack` packed: no leading zero, so `high` is 0 only for ids of nine digits or fewer. */
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
  /** The greatest packed id ever added (-1: none yet). */
  #greatestHigh = -1;
  #greatestLow = 0;
  /** The greatest id ever added that does not pack. */
  #greatestOther: string | undefined;

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
    // PushClient's own CPU per event in a profile. The greatest packed id is kept as its
    // two numbers, in this object: comparing against a string kept from the last event
    // read that string's characters, with thousands of clients in a process one more cold
    // object an event waited on (issue #13's pool bench). A packed id never equals one that
    // does not pack, so each kind needs only its own greatest.
    if (pack(id)) {
      const high = packedHigh;
      const low = packedLow;
      if (high > this.#greatestHigh || (high === this.#greatestHigh && low > this.#greatestLow)) {
        this.#greatestHigh = high;
        this.#greatestLow = low;
      } else if (this.has(id)) {
        return false;
      }
      this.#rotate().pushPacked(high, low);
      return true;
    }
    const greatest = this.#greatestOther;
    // Shortlex order (shorter first, then string order): any total order on strings will do.
    if (greatest === undefined || id.length > greatest.length || (id.length === greatest.length && id > greatest)) {
      this.#greatestOther = id;
    } else if (this.has(id)) {
      return false;
    }
    this.#rotate().pushOther(id);
    return true;
  }

  /** The generation to add to, after swapping when the current one is full. */
  #rotate(): Generation {
    if (this.#current.count >= this.#generation) {
      // The forgotten generation's buffers become the new one's: no regrowth by doubling.
      const recycled = this.#previous;
      recycled.clear();
      this.#previous = this.#current;
      this.#current = recycled;
    }
    return this.#current;
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
