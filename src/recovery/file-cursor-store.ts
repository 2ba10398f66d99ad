import type { CursorStore } from './cursor-store.js';

/**
 * Cursors in one JSON file, so a process that restarts catches up from where it stopped.
 * Writes are coalesced (at most one in flight, the latest state wins) and atomic (a temp
 * file renamed over the old one), so a crash mid-write never leaves a torn file. Node
 * only: `node:fs` is loaded on first use, which keeps browser bundles free of it.
 *
 * @example
 * const client = new PushClient({ token, cursorStore: new FileCursorStore('./cursors.json') });
 */
export class FileCursorStore implements CursorStore {
  readonly #path: string;
  /** Cursors set but not yet written; flush() waits for them. */
  readonly #updates = new Map<string, string>();
  #cursors: Map<string, string> | undefined;
  #loading: Promise<Map<string, string>> | undefined;
  #writing: Promise<void> | undefined;
  // Unique per instance: two stores on one file in one process must not share a temp file.
  readonly #tempSuffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

  constructor(path: string) {
    this.#path = path;
  }

  /** The cursor of `key`, from the file (read once) or a pending write. */
  async get(key: string): Promise<string | undefined> {
    return this.#updates.get(key) ?? (await this.#load()).get(key);
  }

  /** Moves the cursor of `key`; the file is rewritten soon after, atomically. */
  set(key: string, messageId: string): Promise<void> {
    // Recorded synchronously, so a flush() called right after always includes it.
    this.#updates.set(key, messageId);
    this.#writing ??= this.#drain();
    return this.#writing;
  }

  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async #drain(): Promise<void> {
    try {
      const cursors = await this.#load();
      while (this.#updates.size > 0) {
        for (const [key, id] of this.#updates) cursors.set(key, id);
        this.#updates.clear();
        await this.#write(cursors);
      }
    } finally {
      this.#writing = undefined;
    }
  }

  async #write(cursors: Map<string, string>): Promise<void> {
    const { writeFile, rename } = await import('node:fs/promises');
    const temp = `${this.#path}.${this.#tempSuffix}.tmp`;
    await writeFile(temp, JSON.stringify(Object.fromEntries(cursors), null, 2));
    await rename(temp, this.#path);
  }

  #load(): Promise<Map<string, string>> {
    if (this.#cursors) return Promise.resolve(this.#cursors);
    this.#loading ??= (async () => {
      const { readFile } = await import('node:fs/promises');
      let parsed: unknown = {};
      try {
        parsed = JSON.parse(await readFile(this.#path, 'utf8'));
      } catch (error) {
        // A missing file is a first run; a corrupt one is treated the same rather than fatal.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
      }
      const cursors = new Map<string, string>();
      if (parsed && typeof parsed === 'object') {
        for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') cursors.set(key, value);
      }
      this.#cursors = cursors;
      return cursors;
    })();
    return this.#loading;
  }
}
