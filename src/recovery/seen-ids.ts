const NO_CHARS = new Uint16Array(0);
const NO_ENDS = new Int32Array(0);

/**
 * One generation of ids, in arrival order, copied as UTF-16 code units into one growing
 * buffer rather than kept as strings, and put in a Set only when something has to be
 * looked up in it. Ten thousand strings kept alive are objects the garbage collector
 * copies and promotes as they survive: in a profile, collections cost PushClient about
 * 0.6 µs more per event with them than without. A buffer of numbers is nothing to trace.
 */
class Generation {
  // Empty (and shared) until the first id: a thousand idle clients would otherwise each
  // hold four buffers for nothing.
  #chars = NO_CHARS;
  /** Where each id ends in `#chars`. */
  #ends = NO_ENDS;
  #count = 0;
  #set: Set<string> | undefined;
  /** How many ids are in `#set`. */
  #indexed = 0;

  get count(): number {
    return this.#count;
  }

  /** Forgets every id but keeps the buffers, grown to what a full generation needs. */
  clear(): void {
    this.#count = 0;
    this.#set = undefined;
    this.#indexed = 0;
  }

  push(id: string): void {
    const start = this.#count === 0 ? 0 : this.#ends[this.#count - 1]!;
    const end = start + id.length;
    if (end > this.#chars.length) this.#chars = grown(this.#chars, end);
    if (this.#count === this.#ends.length) this.#ends = grown(this.#ends, this.#count + 1);
    const chars = this.#chars;
    for (let i = 0; i < id.length; i++) chars[start + i] = id.charCodeAt(i);
    this.#ends[this.#count++] = end;
  }

  has(id: string): boolean {
    const set = (this.#set ??= new Set());
    for (; this.#indexed < this.#count; this.#indexed++) {
      const start = this.#indexed === 0 ? 0 : this.#ends[this.#indexed - 1]!;
      set.add(decode(this.#chars, start, this.#ends[this.#indexed]!));
    }
    return set.has(id);
  }
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
  #current = new Generation();
  #previous = new Generation();
  /** The greatest id ever added, in shortlex order (shorter first, then string order). */
  #greatest: string | undefined;

  constructor(capacity = 10_000) {
    this.#generation = Math.max(1, Math.floor(capacity));
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
}

/**
 * A bigger buffer, doubled. The first one holds about fourteen ids at once: a process with
 * thousands of quiet accounts would otherwise regrow each account's buffers four times
 * over its first ids, a cost its few messages then carry alone.
 */
function grown<T extends Uint16Array | Int32Array>(array: T, needed: number): T {
  let size = Math.max(array instanceof Uint16Array ? 256 : 16, array.length * 2);
  while (size < needed) size *= 2;
  const next = new (array.constructor as new (size: number) => T)(size);
  next.set(array);
  return next;
}

/** The string of code units `[start, end)`, exactly (lone surrogates included), in chunks that stay under the argument limit. */
function decode(chars: Uint16Array, start: number, end: number): string {
  let out = '';
  for (let from = start; from < end; from += 8192) {
    out += String.fromCharCode.apply(null, chars.subarray(from, Math.min(end, from + 8192)) as unknown as number[]);
  }
  return out;
}
