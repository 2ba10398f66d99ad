import { CursorStoreError } from '../errors/cursor-store-error.js';
import type { CursorStore } from './cursor-store.js';
import { describeFsError, readCursorFile } from './cursor-file.js';

/**
 * Cursors in one JSON file, so a process that restarts catches up from where it stopped.
 * Writes are coalesced (at most one in flight, the latest state wins) and atomic (a temp
 * file renamed over the old one), so a crash mid-write never leaves a torn file. Node
 * only: `node:fs` is loaded on first use, which keeps browser bundles free of it.
 *
 * Failures reject with `CursorStoreError` and lose nothing:
 * - A file that cannot be read is not remembered as such: the next `get` or write reads it again.
 * - A missing file is a first run: no cursors yet.
 * - A corrupt file (not JSON, or not an object of message-id strings) makes `get` reject
 *   rather than read as empty, and is never overwritten: starting empty would silently
 *   replay or skip history, so the file is left for you to fix or delete.
 * - A failed write keeps every cursor set since the last good write; the next `set()` or
 *   `flush()` writes them all. `flush()` rejects when its write fails, so a resolved
 *   `flush()` always means the file holds every cursor set before it.
 * - The promise `set()` returns rejects when its write fails, but nothing needs to await
 *   it: an ignored failure is no unhandled rejection, and shows up at the next `flush()`.
 *
 * @example
 * const client = new PushClient({ token, cursorStore: new FileCursorStore('./cursors.json') });
 */
export class FileCursorStore implements CursorStore {
  readonly #path: string;
  /** Cursors set but not yet written; kept until a write of them succeeds. */
  readonly #updates = new Map<string, string>();
  /** The file's cursors as last read or written. */
  #cursors: Map<string, string> | undefined;
  #loading: Promise<Map<string, string>> | undefined;
  #writing: Promise<void> | undefined;
  // Unique per instance: two stores on one file in one process must not share a temp file.
  readonly #tempSuffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

  constructor(path: string) {
    this.#path = path;
  }

  /**
   * The cursor of `key`, from a pending write or the file (read once it has been read
   * successfully). Rejects with `CursorStoreError` when the file cannot be read or is corrupt.
   */
  async get(key: string): Promise<string | undefined> {
    return this.#updates.get(key) ?? (await this.#load()).get(key);
  }

  /**
   * Moves the cursor of `key`; the file is rewritten soon after, atomically. The promise
   * settles with that write; awaiting it is optional.
   */
  set(key: string, messageId: string): Promise<void> {
    // Recorded synchronously, so a flush() called right after always includes it.
    this.#updates.set(key, messageId);
    return this.#startWriting();
  }

  /** Writes every pending cursor; rejects with `CursorStoreError` if that fails. */
  async flush(): Promise<void> {
    // A write already in flight may have started before the latest set(), or may fail:
    // either way what is still pending afterwards gets a write of its own.
    await this.#writing?.catch(() => undefined);
    if (this.#updates.size > 0) await this.#startWriting();
  }

  #startWriting(): Promise<void> {
    if (!this.#writing) {
      const writing = this.#drain().finally(() => {
        this.#writing = undefined;
      });
      // Handled here so a set() nobody awaits cannot crash the process with an unhandled
      // rejection; whoever does await the same promise still sees the failure.
      writing.catch(() => undefined);
      this.#writing = writing;
    }
    return this.#writing;
  }

  async #drain(): Promise<void> {
    const cursors = await this.#load();
    while (this.#updates.size > 0) {
      const written = new Map(this.#updates);
      const next = new Map([...cursors, ...written]);
      await this.#write(next, written.size);
      for (const [key, id] of written) {
        cursors.set(key, id);
        // A set() during the write moved it again: that newer id still waits.
        if (this.#updates.get(key) === id) this.#updates.delete(key);
      }
    }
  }

  async #write(cursors: Map<string, string>, pending: number): Promise<void> {
    const { writeFile, rename, rm } = await import('node:fs/promises');
    const temp = `${this.#path}.${this.#tempSuffix}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(Object.fromEntries(cursors), null, 2));
      await rename(temp, this.#path);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      const waiting = `${pending} cursor${pending === 1 ? '' : 's'} wait${pending === 1 ? 's' : ''} for the next attempt.`;
      throw new CursorStoreError(this.#path, 'write', `${describeFsError(error)}; ${waiting}`, { cause: error });
    }
  }

  #load(): Promise<Map<string, string>> {
    if (this.#cursors) return Promise.resolve(this.#cursors);
    this.#loading ??= readCursorFile(this.#path).then(
      (cursors) => {
        this.#cursors = cursors;
        return cursors;
      },
      (error: unknown) => {
        // Not remembered: the cause (a missing mount, a file being fixed) may go away.
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }
}
