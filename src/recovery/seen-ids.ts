/**
 * A bounded set of recently delivered message ids: a message that arrives twice (on two
 * channels, or live and again in catch-up) is delivered once. The oldest ids are forgotten
 * first; a duplicate older than `capacity` messages cannot occur in practice because
 * catch-up starts from the cursor, which is newer.
 */
export class SeenIds {
  readonly #capacity: number;
  readonly #ids = new Set<string>();

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  /** Records `id`; returns false when it was already there. */
  add(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.#capacity) {
      // Sets iterate in insertion order: the first value is the oldest.
      const oldest = this.#ids.values().next().value;
      if (oldest !== undefined) this.#ids.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.#ids.size;
  }
}
