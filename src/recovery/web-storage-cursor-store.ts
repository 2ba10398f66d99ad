import type { CursorStore } from './cursor-store.js';

/** The part of the Web Storage API (`localStorage`, `sessionStorage`) the store uses. */
export interface StorageLike {
  /** The item's value, or null when there is none. */
  getItem(key: string): string | null;
  /** Stores the item; may throw when the storage is full or disabled. */
  setItem(key: string, value: string): void;
}

/**
 * Cursors in Web Storage, so a page that reloads catches up from where it stopped. Each
 * conversation is one item under `prefix`, written synchronously: nothing is pending when
 * the tab closes. A storage that refuses a write (quota, private mode) throws from `set`,
 * which PushClient reports as an `error` event while delivery goes on.
 *
 * @example
 * const client = new PushClient({ token, cursorStore: new WebStorageCursorStore(localStorage) });
 */
export class WebStorageCursorStore implements CursorStore {
  readonly #storage: StorageLike;
  readonly #prefix: string;

  /** `prefix` keeps two accounts (or two apps) on one origin apart. */
  constructor(storage: StorageLike, prefix = 'groupme-push:cursor:') {
    this.#storage = storage;
    this.#prefix = prefix;
  }

  /** The cursor of `key`, if any. */
  get(key: string): string | undefined {
    return this.#storage.getItem(this.#prefix + key) ?? undefined;
  }

  /** Moves the cursor of `key`. */
  set(key: string, messageId: string): void {
    this.#storage.setItem(this.#prefix + key, messageId);
  }
}
