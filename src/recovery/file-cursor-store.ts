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
  #cursors: Map<string, string> | undefined;
  #loading: Promise<Map<string, string>> | undefined;
  #writing: Promise<void> | undefined;
  #dirty = false;

  constructor(path: string) {
    this.#path = path;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.#load()).get(key);
  }

  async set(key: string, messageId: string): Promise<void> {
    (await this.#load()).set(key, messageId);
    this.#dirty = true;
    this.#writing ??= this.#drain();
  }

  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#dirty) {
        this.#dirty = false;
        await this.#write();
      }
    } finally {
      this.#writing = undefined;
    }
  }

  async #write(): Promise<void> {
    const { writeFile, rename } = await import('node:fs/promises');
    const body = JSON.stringify(Object.fromEntries(this.#cursors ?? []), null, 2);
    const temp = `${this.#path}.${process.pid}.tmp`;
    await writeFile(temp, body);
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
