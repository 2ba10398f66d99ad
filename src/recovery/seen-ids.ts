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
  // per add at 10,000 ids with a ring buffer and Set.delete, against ~0.1 µs here).
  #current = new Set<string>();
  #previous = new Set<string>();

  constructor(capacity = 10_000) {
    this.#generation = Math.max(1, Math.floor(capacity));
  }

  /** Records `id`; returns false when it was already there. */
  add(id: string): boolean {
    if (this.#current.has(id) || this.#previous.has(id)) return false;
    if (this.#current.size >= this.#generation) {
      this.#previous = this.#current;
      this.#current = new Set();
    }
    this.#current.add(id);
    return true;
  }

  has(id: string): boolean {
    return this.#current.has(id) || this.#previous.has(id);
  }

  /** How many ids are remembered now. */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }
}
