import { UnsupportedPlatformError } from '../errors/unsupported-platform-error.js';
import type { CursorStore } from './cursor-store.js';

/**
 * The browser build's FileCursorStore: browsers have no file system, so constructing one
 * fails at once with a message naming the alternatives, rather than on the first write.
 */
export class FileCursorStore implements CursorStore {
  constructor(_path: string) {
    throw new UnsupportedPlatformError(
      'FileCursorStore needs a file system, which browsers do not have: use WebStorageCursorStore (localStorage) or MemoryCursorStore instead.',
    );
  }

  get(): undefined {
    return undefined;
  }

  set(): void {}
}
