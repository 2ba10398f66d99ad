import { compareIds } from '../events/channel.js';
import type { GroupMePushError } from '../errors/groupme-push-error.js';
import type { CursorAccess } from '../recovery/catch-up.js';
import type { CursorStore } from '../recovery/cursor-store.js';
import { asPushError } from './as-push-error.js';

/**
 * The client's view of its cursor store: what it read is cached, a cursor only moves
 * forward, and a move is reported settled only once the store has it, so the next message
 * of a conversation waits for its predecessor's cursor to be durable. A store that fails is
 * reported, never fatal: the worst it costs is a message delivered again after a restart.
 *
 * Without a store (the default, cursors in memory) the cache is the store: a second map of
 * the same cursors would cost every message another write, and with thousands of clients
 * in one process another cache miss (issue #13's pool bench).
 */
export class CursorBook {
  readonly #store: CursorStore | undefined;
  readonly #report: (error: GroupMePushError) => void;
  /**
   * Each conversation's cursor in a holder moved in place: a message then costs the map a
   * lookup, not a lookup and a store, and none at all when it belongs to the conversation
   * advanced last (its holder is kept at hand), as most messages of a busy account do.
   */
  readonly #cache = new Map<string, { id: string }>();
  #lastKey: string | undefined;
  #last: { id: string } | undefined;
  #closed = false;

  constructor(store: CursorStore | undefined, report: (error: GroupMePushError) => void) {
    this.#store = store;
    this.#report = report;
  }

  /** Writes again after `close()` (a client started again after `stop()`). */
  open(): void {
    this.#closed = false;
  }

  /** After `close()` nothing more is written: the store has been flushed for the last time. */
  close(): void {
    this.#closed = true;
  }

  async get(key: string): Promise<string | undefined> {
    const cached = this.#cache.get(key);
    if (cached !== undefined || !this.#store) return cached?.id;
    const stored = await this.#store.get(key);
    // Cached only: writing back what the store just said would be wasted I/O.
    if (stored !== undefined) this.#moveForward(key, stored);
    return this.#cache.get(key)?.id;
  }

  /** Moves `key` to `id` if that is forward; the promise settles (never rejects) once the store has it. */
  advance(key: string, id: string): Promise<void> | undefined {
    if (this.#closed) return undefined;
    if (!this.#moveForward(key, id)) return undefined;
    if (!this.#store) return undefined;
    try {
      const pending = this.#store.set(key, id);
      if (pending) return pending.then(undefined, (error: unknown) => this.#failed(error));
    } catch (error) {
      this.#failed(error);
    }
    return undefined;
  }

  /** The catch-up's view: reads through the cache, moves only forward. */
  readonly access: CursorAccess = {
    get: (key) => this.get(key),
    advance: (key, id) => void this.advance(key, id),
  };

  async flush(): Promise<void> {
    await this.#store?.flush?.();
  }

  /** Moves the cached cursor of `key` to `id` if that is forward; false when it was not. */
  #moveForward(key: string, id: string): boolean {
    let cursor = key === this.#lastKey ? this.#last : this.#cache.get(key);
    if (cursor === undefined) {
      cursor = { id };
      this.#cache.set(key, cursor);
    } else if (compareIds(id, cursor.id) > 0) {
      cursor.id = id;
    } else {
      return false;
    }
    this.#lastKey = key;
    this.#last = cursor;
    return true;
  }

  #failed(error: unknown): void {
    this.#report(asPushError(error, 'CURSOR_STORE', 'The cursor store failed to save a cursor.'));
  }
}
