/**
 * One generation of ids: kept in arrival order, and put in a Set only when something has
 * to be looked up in it.
 */
interface Generation {
  readonly ids: string[];
  set: Set<string> | undefined;
  /** How many of `ids` are in `set`. */
  indexed: number;
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
  #current: Generation = newGeneration();
  #previous: Generation = newGeneration();
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
    if (this.#current.ids.length >= this.#generation) {
      this.#previous = this.#current;
      this.#current = newGeneration();
    }
    this.#current.ids.push(id);
    return true;
  }

  has(id: string): boolean {
    return indexed(this.#current).has(id) || indexed(this.#previous).has(id);
  }

  /** How many ids are remembered now. */
  get size(): number {
    return this.#current.ids.length + this.#previous.ids.length;
  }
}

function newGeneration(): Generation {
  return { ids: [], set: undefined, indexed: 0 };
}

/** The generation's Set, brought up to date with the ids appended since the last lookup. */
function indexed(generation: Generation): Set<string> {
  const set = (generation.set ??= new Set());
  const ids = generation.ids;
  for (let i = generation.indexed; i < ids.length; i++) set.add(ids[i]!);
  generation.indexed = ids.length;
  return set;
}
