/**
 * A FIFO that holds at most `capacity` items. Items that must not be lost wait outside
 * for room (`putWhenRoom`), in arrival order; the others are refused when it is full
 * (`tryPut`). Items leave only by `remove`, once written, so a failed write keeps them.
 */
export class BoundedQueue<T> {
  readonly capacity: number;
  #items: T[] = [];
  #head = 0;
  readonly #waiting: { item: T; admitted: () => void }[] = [];

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Items inside. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Items waiting outside for room. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Adds `item` if there is room (and nobody waits before it); false when full. */
  tryPut(item: T): boolean {
    if (this.size >= this.capacity || this.#waiting.length > 0) return false;
    this.#items.push(item);
    return true;
  }

  /** Adds `item` now if there is room, else once enough items have been removed. */
  putWhenRoom(item: T): Promise<void> {
    if (this.tryPut(item)) return Promise.resolve();
    return new Promise((admitted) => this.#waiting.push({ item, admitted }));
  }

  /** The oldest `count` items (fewer if there are fewer), left in place. */
  peek(count: number): T[] {
    return this.#items.slice(this.#head, this.#head + count);
  }

  /** Drops the oldest `count` items and lets waiters in. */
  remove(count: number): void {
    this.#head += Math.min(count, this.size);
    // Compacting only once the dead prefix is large keeps each removal O(1) amortised.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    while (this.#waiting.length > 0 && this.size < this.capacity) {
      const next = this.#waiting.shift()!;
      this.#items.push(next.item);
      next.admitted();
    }
  }
}
