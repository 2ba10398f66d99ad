/**
 * Where the client remembers the newest message id it delivered in each conversation, so
 * that after a reconnect (or a process restart, with a persistent store) it fetches
 * exactly what it missed. Keys are `group:<id>` and `dm:<a+b>`; values are message ids.
 * Methods may be sync or async; a store should never throw for a missing key.
 */
export interface CursorStore {
  /** The newest delivered message id of a conversation, or undefined if none yet. */
  get(key: string): string | undefined | Promise<string | undefined>;
  /** Records a newer message id for a conversation. */
  set(key: string, messageId: string): void | Promise<void>;
  /** Called by `stop()`: write anything pending. */
  flush?(): void | Promise<void>;
}

/** The default store: cursors live as long as the process. */
export class MemoryCursorStore implements CursorStore {
  readonly #cursors = new Map<string, string>();

  /** The cursor of `key`, if any. */
  get(key: string): string | undefined {
    return this.#cursors.get(key);
  }

  /** Moves the cursor of `key`. */
  set(key: string, messageId: string): void {
    this.#cursors.set(key, messageId);
  }

  /** A copy of every cursor, for inspection. */
  entries(): Record<string, string> {
    return Object.fromEntries(this.#cursors);
  }
}

export function groupCursorKey(groupId: string): string {
  return `group:${groupId}`;
}

export function chatCursorKey(chatId: string): string {
  return `dm:${chatId}`;
}

/**
 * Not a conversation: the watermark, the `created_at` (Unix seconds, as a decimal string)
 * up to which every conversation is known to have been delivered.
 */
export const WATERMARK_KEY = 'sync:watermark';
