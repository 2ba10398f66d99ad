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
  readonly #cache = new Map<string, string>();
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
    if (cached !== undefined || !this.#store) return cached;
    const stored = await this.#store.get(key);
    // Cached only: writing back what the store just said would be wasted I/O.
    const current = this.#cache.get(key);
    if (stored !== undefined && (current === undefined || compareIds(stored, current) > 0)) this.#cache.set(key, stored);
    return this.#cache.get(key);
  }

  /** Moves `key` to `id` if that is forward; the promise settles (never rejects) once the store has it. */
  advance(key: string, id: string): Promise<void> | undefined {
    if (this.#closed) return undefined;
    const current = this.#cache.get(key);
    if (current !== undefined && compareIds(id, current) <= 0) return undefined;
    this.#cache.set(key, id);
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

  #failed(error: unknown): void {
    this.#report(asPushError(error, 'CURSOR_STORE', 'The cursor store failed to save a cursor.'));
  }
}
